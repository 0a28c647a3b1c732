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

// After a comment the server keeps that line in the cell's or file's form (data-kept-line): mark its row again.
for (const line of document.querySelectorAll("input[data-kept-line]")) {
  const key = line.id.replace(/^line-/, "");
  const row = document.getElementById(`line-${key}-${line.value}`);
  if (row) row.classList.add("table-primary");
}
