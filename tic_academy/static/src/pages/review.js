import "../notebook-output.css";

// The mentor's review page: clicking a line number of an answer cell
// prepares that cell's comment form for the line (no inline scripts: CSP).
for (const button of document.querySelectorAll("[data-comment-line]")) {
  button.addEventListener("click", () => {
    const table = button.closest("[data-grade-id]");
    const gradeId = table.dataset.gradeId;
    const line = document.getElementById(`line-${gradeId}`);
    const body = document.getElementById(`body-${gradeId}`);
    if (!line || !body) return;
    line.value = button.dataset.commentLine;
    for (const row of table.querySelectorAll("tr.table-primary")) row.classList.remove("table-primary");
    button.closest("tr").classList.add("table-primary");
    body.focus();
  });
}

// After a comment the page comes back with ?cell=<grade_id> (or ?path=<file>) and &line=<n>:
// the form keeps that line chosen, and its row is marked again.
const params = new URLSearchParams(window.location.search);
if (params.has("line")) {
  for (const form of document.querySelectorAll("form.comment-form")) {
    const line = form.querySelector("input[name=line]");
    const gradeId = form.querySelector("input[name=grade_id]");
    const path = form.querySelector("input[name=path]");
    const mine = (gradeId && gradeId.value === params.get("cell")) || (path && path.value === params.get("path"));
    if (!line || !mine) continue;
    const key = line.id.replace(/^line-/, "");
    const row = document.getElementById(`line-${key}-${line.value}`);
    if (row) row.classList.add("table-primary");
  }
}
