"""Making the trainee version of a source notebook."""

from __future__ import annotations

from .hints import strip_hints
from .notebook import has_marker, is_answer, is_practice, is_test, strip_region

CODE_STUB = ("# TULIS JAWABAN ANDA DI SINI", "raise NotImplementedError()")
MARKDOWN_STUB = "_TULIS JAWABAN ANDA DI SINI_"


def _code_stub(indent: str) -> list[str]:
    """Return the stub lines for a code answer region at this indentation."""
    return [indent + line for line in CODE_STUB]


def answer_stub(cell) -> str:
    """Return what the trainee receives in an answer cell instead of the model answer."""
    source = cell.get("source", "")
    if is_practice(cell):
        # An ungraded practice cell is given as written: its code is the starting point, not a solution.
        return source
    markdown = cell.get("cell_type") == "markdown"
    if not has_marker(source, "SOLUTION"):
        # nbgrader's rule: an answer cell without markers is replaced as a whole.
        return MARKDOWN_STUB if markdown else "\n".join(CODE_STUB)
    if markdown:
        return strip_region(source, "SOLUTION", lambda indent: [indent + MARKDOWN_STUB])
    return strip_region(source, "SOLUTION", _code_stub)


def public_test_source(cell) -> str:
    """Return a test cell's source without its hidden test blocks."""
    return strip_region(cell.get("source", ""), "HIDDEN TESTS")


def make_trainee_version(source_nb):
    """Return a copy of a (checked) source notebook that is safe to give to a trainee (no hints either)."""
    nb = strip_hints(source_nb)
    for cell in nb.cells:
        if is_answer(cell):
            cell.source = answer_stub(cell)
        elif is_test(cell):
            cell.source = public_test_source(cell)
        if cell.get("cell_type") == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb
