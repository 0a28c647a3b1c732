"""The platform's pytest plugin for project gradings: reports each test as one JSON line on a pipe.

Events: ``collected`` (every test id with its markers), ``collect_error``, ``test`` (one per test:
outcome, exception type, first line of its message) and ``end``. A report without ``end`` means the
process stopped early (e.g. ``os._exit`` in trainee code): the grader scores the missing tests as
failed. Each test also gets a time limit (SIGALRM). Standard library and pytest only.
"""

import json
import os
import signal

import pytest

#: The platform's pytest config file, written next to the hidden tests.
CONFIG_NAME = "tic-pytest.ini"
#: The project's optional ``tests/fixtures.py`` (shared fixtures), written under this module name and
#: loaded with ``-p`` ("fixtures" itself is the name of a pytest built-in plugin).
FIXTURES_NAME = "project_fixtures"
#: Longest message kept per test (the grader cuts it shorter for the trainee).
MESSAGE_CAP = 500


class TestTimeout(Exception):
    """Raised in a test that ran longer than its time limit."""

    __test__ = False


def _first_line(text: str) -> str:
    """The first non-empty line of a message, capped."""
    for line in str(text).splitlines():
        if line.strip():
            return line.strip()[:MESSAGE_CAP]
    return ""


def _error_line(text: str) -> str:
    """The exception line of a collection error ("E   ModuleNotFoundError: ..."), else its last line."""
    lines = [line for line in str(text).splitlines() if line.strip()]
    errors = [line[1:].strip() for line in lines if line.startswith("E ")]
    return _first_line((errors or lines or [""])[-1] if not errors else errors[0])


class Reporter:
    """Writes the grading report; registered by the runner before any test module is imported."""

    def __init__(self, fd: int, test_timeout_s: float):
        self.fd = fd
        self.timeout = test_timeout_s
        self.results = {}
        self.write = os.write  # kept before trainee code runs

    def _send(self, event: dict) -> None:
        data = (json.dumps(event, ensure_ascii=False) + "\n").encode("utf-8")
        while data:
            data = data[self.write(self.fd, data):]

    def pytest_collection_finish(self, session):
        """Report every collected test id and its markers."""
        tests = [{"id": item.nodeid, "markers": sorted({mark.name for mark in item.iter_markers()})}
                 for item in session.items]
        self._send({"event": "collected", "tests": tests})

    def pytest_collectreport(self, report):
        """Report a test module that could not be collected (e.g. the trainee's package does not import)."""
        if report.failed:
            self._send({"event": "collect_error", "id": report.nodeid, "type": "CollectionError",
                        "message": _error_line(report.longreprtext)})

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):
        """Stop a test that runs longer than the limit."""
        def stop(signum, frame):
            raise TestTimeout(f"batas waktu {self.timeout:g} detik per uji terlampaui")
        previous = signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, self.timeout)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        """Keep the outcome of each phase; the first failure names the exception."""
        outcome = yield
        report = outcome.get_result()
        state = self.results.setdefault(item.nodeid, {"outcome": "passed", "type": "", "message": ""})
        if report.passed or state["outcome"] != "passed":
            return
        if report.skipped:
            state["outcome"] = "skipped"
            state["message"] = "uji dilewati"
            return
        state["outcome"] = "failed" if call.when == "call" else "error"
        if call.excinfo is not None:
            state["type"] = call.excinfo.typename
            state["message"] = _first_line(call.excinfo.value)
            if isinstance(call.excinfo.value, TestTimeout):
                state["outcome"] = "timeout"

    def pytest_runtest_logfinish(self, nodeid, location):
        """Report one test once all its phases ran."""
        state = self.results.get(nodeid) or {"outcome": "error", "type": "", "message": ""}
        self._send({"event": "test", "id": nodeid, **state})

    def finish(self, exit_code: int) -> None:
        """Report that pytest ran to its end."""
        self._send({"event": "end", "exit": exit_code})
