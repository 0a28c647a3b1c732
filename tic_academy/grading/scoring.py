"""Scoring: a pure function from executed cells to per-test results."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .messages import author, message, texts
from .notebook import grade_id, is_test, points

STATUSES = ("passed", "failed", "error", "timeout", "not_run")
HIDDEN_PLACEHOLDER = "[pesan disembunyikan karena memuat isi tes tersembunyi]"
#: Hidden test lines shorter than this are too common ("assert x") to count as a leak.
MIN_LEAK_CHARS = 12


@dataclass(frozen=True)
class TestResult:
    """The result of one test cell."""

    __test__ = False  # not a pytest test class

    grade_id: str
    status: str
    points: float
    max_points: float
    #: Why the test did not pass, as a message code and parameters (grading/messages.py); None when it passed.
    message: dict | None
    #: The task the test belongs to ("Tugas 2 — Retribusi sampah"); empty when the notebook has no heading.
    title: str = ""
    #: A teaching explanation as a code and its values, put into words when shown (see explain.HINT_CODES).
    hint: dict = field(default_factory=dict)
    #: The task's English name when the author gave one (project tasks); empty otherwise.
    title_en: str = ""

    def to_dict(self) -> dict:
        """Return the result as plain data."""
        return asdict(self)


def redact_hidden(message: str, hidden_text: str | None) -> str:
    """Return the message, or a placeholder when it quotes a line of the hidden tests."""
    if not hidden_text:
        return message
    for line in hidden_text.splitlines():
        if len(line.strip()) >= MIN_LEAK_CHARS and line.strip() in message:
            return HIDDEN_PLACEHOLDER
    return message


def redact_message(msg: dict | None, hidden_text: str | None) -> dict | None:
    """Return the message, or the hidden_redacted message when one of its texts quotes a hidden test."""
    if msg and any(redact_hidden(text, hidden_text) == HIDDEN_PLACEHOLDER for text in texts(msg)):
        return message("hidden_redacted")
    return msg


def _outcome(run, stopped: dict | None) -> tuple[str, dict | None]:
    """Return (status, message) for one test cell's run (None when it never ran)."""
    if run is None or run.status == "not_run":
        return "not_run", stopped or message("test_not_run")
    if run.status == "ok":
        return "passed", None
    if run.status in ("timeout", "died"):
        status = "timeout" if run.status == "timeout" else "error"
        return status, run.message or message("exception", ename=run.ename, evalue=run.evalue)
    if run.ename == "AssertionError":
        # The harness's own message (values compared, a misused object), else the test's assert message.
        return "failed", run.message or (author(run.evalue) if run.evalue else message("test_failed"))
    return "error", run.message or message("exception", ename=run.ename, evalue=run.evalue)


def score(cells, runs: dict, hidden: dict[str, str] | None = None, stopped: dict | None = None) -> list[TestResult]:
    """Score every test cell in `cells`; `runs` maps cell index to its CellRun (status from the kernel's reply)."""
    hidden = hidden or {}
    results = []
    for index, cell in enumerate(cells):
        if not is_test(cell):
            continue
        gid = grade_id(cell)
        status, said = _outcome(runs.get(index), stopped)
        earned = points(cell) if status == "passed" else 0.0
        results.append(TestResult(gid, status, earned, points(cell), redact_message(said, hidden.get(gid))))
    return results
