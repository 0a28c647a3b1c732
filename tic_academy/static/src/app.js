// TIC Academy page behaviour. No inline scripts: the CSP forbids them.
import "bootstrap/js/dist/collapse";
import "bootstrap/js/dist/dropdown";
import "bootstrap/js/dist/alert";

// Forms or buttons with data-confirm ask before submitting.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset.confirm || event.submitter?.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// Progress bars carry their width in data-progress (no inline style needed).
for (const bar of document.querySelectorAll("[data-progress]")) {
  bar.style.width = `${Number(bar.dataset.progress) || 0}%`;
}

// Selects with data-autosubmit submit their form on change.
for (const select of document.querySelectorAll("select[data-autosubmit]")) {
  select.addEventListener("change", () => select.form.requestSubmit());
}
