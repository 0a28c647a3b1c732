"""Grading a project exercise: a commit's files, the hidden pytest files, the points map, the sandbox.

Pure library (no Flask, no database). ``grade_project(spec, snapshot, ...)`` unpacks the commit's
files (a tar.gz snapshot) into a folder the sandbox shows read-only and runs the hidden tests the way
notebooks are graded (project_run.py): pytest runs in the trusted harness process, the trainee's package
in its own kernel as another uid, reached only through handles. The report comes from the harness, so
nothing the trainee's code does can decide its own verdict. ``scan_tree`` still flags attempts (a
planted conftest, code reaching into pytest, ``os._exit``) for a mentor, and the flags hold the score.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field

from . import project_run, sandbox
from .integrity import Flag
from .limits import Limits
from .messages import message
from .project_tree import SNAPSHOT_CAP, pack_files, pack_tree, read_files, scan_tree, too_large
from .scoring import TestResult, redact_message

__all__ = ["ProjectResult", "ProjectSpec", "SNAPSHOT_CAP", "grade_project", "with_checks", "pack_files", "pack_tree",
           "read_files", "scan_tree", "score_report", "too_large"]

#: Longest failure message shown to a trainee.
MESSAGE_CAP = 200
_uids: sandbox.UidLeases | None = None
_uids_lock = threading.Lock()


@dataclass(frozen=True)
class ProjectSpec:
    """What grading a project needs: the points map, the hidden test files, the per-test time limit."""

    #: {test node id or "marker:<name>": {"points": float, "task": {"id": str, "en": str}}}
    points: dict
    #: {relative path: text} of the hidden test files (and an optional fixtures.py).
    hidden: dict
    test_timeout_s: float = 10.0
    #: {task id: {"points": float, "task": {"id": str, "en": str}, "rubric": str}}: graded by a mentor, not run.
    manual: dict = field(default_factory=dict)
    #: {check id: {"check": kind, ...its parameters, "points": float, "task": {...}}}: computed from the
    #: repository by the worker (checks.py), never by the trainee's code.
    checks: dict = field(default_factory=dict)
    #: {branch name: {"message": str, "files": {path: text}}}: the prepared branches a new repository gets.
    branches: dict = field(default_factory=dict)

    def to_json(self) -> str:
        """The spec as JSON text (stored in the exercise version); optional parts only when there are any."""
        data = {"format": 1, "points": self.points, "hidden": self.hidden, "test_timeout_s": self.test_timeout_s}
        for name in ("manual", "checks", "branches"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        return json.dumps(data, ensure_ascii=False)  # points keep the author's order

    @classmethod
    def from_json(cls, text: str) -> ProjectSpec:
        """Read a spec stored by to_json."""
        data = json.loads(text)
        return cls(points=data["points"], hidden=data["hidden"], test_timeout_s=float(data.get("test_timeout_s", 10)),
                   manual=data.get("manual") or {}, checks=data.get("checks") or {},
                   branches=data.get("branches") or {})

    @property
    def max_score(self) -> float:
        """The points of the whole project: the hidden tests' and the repository checks'."""
        return float(sum(float(entry["points"]) for entry in [*self.points.values(), *self.checks.values()]))

    def hidden_text(self) -> str:
        """Every hidden file's text together (for keeping its lines out of messages)."""
        return "\n".join(self.hidden.values())


@dataclass
class ProjectResult:
    """The outcome of one project grading; the same shape the notebooks' GradingResult offers."""

    mode: str
    score: float
    max_score: float
    tests: list[TestResult]
    flags: list[Flag]
    notes: list[dict]
    duration_s: float
    #: Why the commit could not be graded, as a message (grading/messages.py).
    error: dict | None = None
    #: {test id: its markers} of every test pytest collected (validate compares them with the points map).
    collected: dict = field(default_factory=dict)
    #: Projects have no executed notebook.
    notebook: object = None
    cells: list = field(default_factory=list)

    def to_dict(self) -> dict:
        """Return the result as JSON-ready data, safe for the trainee (no hidden source)."""
        return {
            "mode": self.mode,
            "score": self.score,
            "max_score": self.max_score,
            "tests": [test.to_dict() for test in self.tests],
            "flags": [flag.to_dict() for flag in self.flags],
            "notes": list(self.notes),
            "duration_s": round(self.duration_s, 3),
            "cells": [],
            "error": self.error,
        }


# --- running --------------------------------------------------------------------------------------


def _leases() -> sandbox.UidLeases:
    """This process's uids for project gradings (a block apart from the kernels')."""
    global _uids
    with _uids_lock:
        if _uids is None:
            _uids = sandbox.UidLeases(base=sandbox.PROJECT_UID_BASE)
        return _uids


def pytest_config(spec: ProjectSpec) -> str:
    """The platform's own pytest config: the markers the points map uses, nothing from the trainee."""
    markers = sorted(key.split(":", 1)[1] for key in spec.points if key.startswith("marker:"))
    lines = ["[pytest]", "python_files = test_*.py", "markers ="]
    lines += [f"    {marker}: bagian dari satu tugas" for marker in markers]
    return "\n".join(lines) + "\n"


def run_pytest(spec: ProjectSpec, files: dict[str, bytes], mode: str, limits: Limits,
               public: bool = False) -> tuple[list[dict], str | None]:
    """Run the hidden tests in the harness, the trainee's files in a kernel; (report events, why it stopped early).

    ``public``: the tests are the template's public tests (the editor's "Jalankan uji"), which import the
    trainee's package directly, as on the trainee's own machine: the tree goes on the harness's path too.
    Nothing hidden is in that sandbox and its result is only shown, never stored as a verdict.
    """
    return project_run.run_pytest_in_harness(spec, pytest_config(spec), files, mode, limits, _leases(), public)


# --- scoring --------------------------------------------------------------------------------------


def _short(text: str) -> str:
    """A text on one line, at most MESSAGE_CAP characters."""
    text = " ".join(text.split())
    return text[: MESSAGE_CAP - 1] + "…" if len(text) > MESSAGE_CAP else text


def short_message(kind: str, text: str, hidden_text: str) -> dict:
    """What a trainee sees of a failure: the exception type and its first line, capped, no hidden source."""
    if not kind and not text.strip():
        return message("test_failed")
    if kind:
        found = message("exception", ename=_short(kind), evalue=_short(text))
    else:
        found = message("project_failed", detail=_short(text))
    return redact_message(found, hidden_text)


def members_of(key: str, collected: dict[str, list[str]]) -> list[str]:
    """The test ids a points-map entry stands for: itself, or every test carrying its marker."""
    if key.startswith("marker:"):
        marker = key.split(":", 1)[1]
        return [test_id for test_id, markers in collected.items() if marker in markers]
    return [key] if key in collected else []


@dataclass
class Report:
    """What the plugin's events say: the tests collected, each test's result, collection errors, the end."""

    collected: dict = field(default_factory=dict)
    results: dict = field(default_factory=dict)
    collect_errors: list = field(default_factory=list)
    ended: bool = False
    flags: list = field(default_factory=list)


def read_report(events: list[dict]) -> Report:
    """Gather the events; a test reported twice or never collected is flagged (someone else wrote it)."""
    report = Report()
    for event in events:
        kind = event.get("event")
        if kind == "collected":
            report.collected.update({str(t.get("id")): [str(m) for m in t.get("markers") or []]
                                     for t in event.get("tests") or []})
        elif kind == "collect_error":
            report.collect_errors.append(event)
        elif kind == "test":
            test_id = str(event.get("id"))
            if test_id in report.results:  # the plugin reports each test once
                found = message("flag_report_twice", name=test_id[:120])
                report.flags.append(Flag("report_tampered", test_id[:120], 1, found))
                report.results[test_id] = {"outcome": "error", "type": "", "message": "", "coded": found}
                continue
            report.results[test_id] = event
        elif kind == "end":
            report.ended = True
    for test_id in sorted(set(report.results) - set(report.collected)):
        report.flags.append(Flag("report_tampered", test_id[:120], 1, message("flag_report", name=test_id[:120])))
    return report


def _entry_outcome(members: list[str], report: Report, stopped: dict | None, spec: ProjectSpec) -> tuple[str, dict | None]:
    """(status, message) of one points-map entry: passed only when every one of its tests passed."""
    if not members and report.collect_errors:
        detail = _short(str(report.collect_errors[0].get("message", "")))
        return "error", redact_message(message("project_collect_error", detail=detail), spec.hidden_text())
    if not members and not report.collected and not report.ended:  # stopped before pytest even collected
        return ("timeout", stopped) if stopped else ("not_run", message("project_incomplete"))
    if not members:  # a missing test id is an error, never a pass
        return "error", message("project_missing_test")
    for test_id in members:
        result = report.results.get(test_id)
        if result is None:
            return ("timeout", stopped) if stopped else ("not_run", message("project_not_run"))
        outcome = result.get("outcome")
        if outcome == "skipped":
            return "error", message("project_skipped")
        if outcome == "timeout":
            return "timeout", message("project_test_timeout", seconds=spec.test_timeout_s)
        if result.get("coded"):  # reported twice: the flag's message
            return "error", result["coded"]
        if outcome != "passed":
            status = "failed" if outcome == "failed" else "error"
            return status, short_message(str(result.get("type") or ""), str(result.get("message") or ""),
                                         spec.hidden_text())
    return "passed", None


def score_report(spec: ProjectSpec, events: list[dict], stopped: dict | None) -> tuple[list[TestResult], list[dict], list[Flag]]:
    """Score each points-map entry from the report; (results, notes, flags)."""
    report = read_report(events)
    notes = [] if report.ended else [stopped or message("project_incomplete")]
    tests = []
    for key, entry in spec.points.items():
        worth = float(entry["points"])
        status, found = _entry_outcome(members_of(key, report.collected), report, stopped, spec)
        tests.append(TestResult(
            grade_id=key, status=status, points=worth if status == "passed" else 0.0, max_points=worth,
            message=found,
            title=(entry.get("task") or {}).get("id", ""), title_en=(entry.get("task") or {}).get("en", ""),
        ))
    return tests, notes, report.flags


def with_checks(result: ProjectResult, checked: list[TestResult]) -> ProjectResult:
    """The result with the repository checks' entries after the hidden tests' (score and max score included)."""
    result.tests = [*result.tests, *checked]
    result.score = sum(test.points for test in result.tests)
    result.max_score = sum(test.max_points for test in result.tests)
    return result


def grade_project(spec: ProjectSpec, snapshot: bytes, sandbox_mode: str = "bwrap", limits: Limits | None = None,
                  mode: str = "submit") -> ProjectResult:
    """Grade a commit (tar.gz of its files) against a project's hidden tests and points map."""
    started = time.monotonic()
    limits = limits or Limits()
    sandbox.check_mode(sandbox_mode)
    if sandbox_mode == "none":
        sandbox.warn_unsandboxed()
    try:
        files = read_files(snapshot)
    except ValueError as error:
        found = error.args[0] if error.args and isinstance(error.args[0], dict) else message(
            "project_bad_snapshot", error=str(error)[:MESSAGE_CAP])
        tests = [TestResult(key, "not_run", 0.0, float(entry["points"]), None, (entry.get("task") or {}).get("id", ""),
                            title_en=(entry.get("task") or {}).get("en", ""))
                 for key, entry in spec.points.items()]
        return ProjectResult(mode, 0.0, sum(t.max_points for t in tests), tests, [], [], time.monotonic() - started, error=found)
    flags = scan_tree(files)
    events, stopped = run_pytest(spec, files, sandbox_mode, limits, public=(mode == "check"))
    tests, notes, report_flags = score_report(spec, events, stopped)
    collected = {str(t.get("id")): list(t.get("markers") or [])
                 for e in events if e.get("event") == "collected" for t in e.get("tests") or []}
    return ProjectResult(
        mode=mode, score=sum(t.points for t in tests), max_score=sum(t.max_points for t in tests), tests=tests,
        flags=flags + report_flags, notes=notes, duration_s=time.monotonic() - started, collected=collected,
    )
