// The review page's "Pakai umpan balik ini": put feedback saved for the answer's shape into the review's
// summary box, where the mentor may change it before sending. Nothing is sent here. Without JavaScript the
// link reloads the page with the summary filled in by the server (?pakai=<id>).
for (const link of document.querySelectorAll("[data-use-feedback]")) {
  link.addEventListener("click", (event) => {
    const summary = document.getElementById("summary");
    if (!summary) return;
    event.preventDefault();
    summary.value = link.dataset.feedbackText;
    summary.scrollIntoView({ block: "center" });
    summary.focus();
  });
}
