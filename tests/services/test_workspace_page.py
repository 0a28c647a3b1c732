"""The workspace page model: a notebook's markdown is rendered (and sanitised) once per process, not per view."""
import nbformat

from tests.notebook_factory import exercise_notebook
from tic_academy.services import workspace_page
from tic_academy.services.notebooks import ExerciseNotebook


def test_markdown_cells_are_rendered_once_for_every_trainee(monkeypatch):
    """Is a markdown cell rendered on the first view only, every later view (another trainee's answers
    included) getting the same sanitised HTML?"""
    source = exercise_notebook(points=10)
    source.cells.insert(0, nbformat.v4.new_markdown_cell("# Judul\n\nBaca <script>alert(1)</script> **ini**"))
    notebook = ExerciseNotebook(1, 10, source)
    rendered = []
    real = workspace_page.render_markdown

    def counting(text, raw_html=False):
        rendered.append(text)
        return real(text, raw_html=raw_html)

    monkeypatch.setattr(workspace_page, "render_markdown", counting)
    first = workspace_page.workspace_cells(notebook, {})
    after_first = len(rendered)
    answers = {cell.grade_id: "x = 1" for cell in first if cell.kind == "answer"}
    second = workspace_page.workspace_cells(notebook, answers)
    assert after_first >= 1 and len(rendered) == after_first
    assert [cell.html for cell in second] == [cell.html for cell in first]
    assert "<strong>ini</strong>" in first[0].html and "<script" not in first[0].html
    assert answers and all(cell.source == "x = 1" for cell in second if cell.kind == "answer")
