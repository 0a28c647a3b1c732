"""Scoring: a pure function from executed cells to per-test results."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

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
    message: str
    #: The task the test belongs to ("Tugas 2 — Retribusi sampah"); empty when the notebook has no heading.
    title: str = ""
    #: A teaching explanation as a code and its values, put into words when shown (see explain.HINT_CODES).
    hint: dict = field(default_factory=dict)

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


def _outcome(run, stopped: str | None) -> tuple[str, str]:
    """Return (status, message) for one test cell's run (None when it never ran)."""
    if run is None or run.status == "not_run":
        return "not_run", stopped or "Sel tes tidak dijalankan."
    if run.status == "ok":
        return "passed", ""
    if run.status == "timeout":
        return "timeout", run.evalue
    if run.status == "died":
        return "error", run.evalue
    if run.ename == "AssertionError":
        return "failed", run.evalue or "Tes gagal."
    return "error", f"{run.ename}: {run.evalue}" if run.evalue else run.ename


def score(cells, runs: dict, hidden: dict[str, str] | None = None, stopped: str | None = None) -> list[TestResult]:
    """Score every test cell in `cells`; `runs` maps cell index to its CellRun (status from the kernel's reply)."""
    hidden = hidden or {}
    results = []
    for index, cell in enumerate(cells):
        if not is_test(cell):
            continue
        gid = grade_id(cell)
        status, message = _outcome(runs.get(index), stopped)
        earned = points(cell) if status == "passed" else 0.0
        results.append(TestResult(gid, status, earned, points(cell), redact_hidden(message, hidden.get(gid))))
    return results
