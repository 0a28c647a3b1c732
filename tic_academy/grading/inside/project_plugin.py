"""A project's hidden tests, run by pytest inside the trusted harness process (never in the trainee's).

``run`` is called by inside/harness.py for ``{"op": "pytest", ...}``. It writes the hidden tests into a
folder of the harness's own uid (mode 0700), runs pytest in this process with the platform's config only
(``-c``, ``--noconftest``, plugin autoload off) and removes the folder once the tests are collected,
before any trainee code runs. The tests reach the trainee's package only through the ``modul`` fixture::

    def test_buat(modul):
        client = modul("pengaduan").create_app({"TESTING": True}).test_client()  # handles
        jawaban = client.post("/api/pengaduan", json={...})                      # a handle
        assert jawaban.status_code == 201                                       # plain data

Every report line is sent by this process over the harness's pipe: ``collected`` (every test id with
its markers), ``collect_error``, ``test`` (outcome, exception type, first line of its message) and
``end``. A test whose trainee code runs past its time limit ends as ``timeout``. Standard library and
pytest only.
"""

import os
import shutil
import sys
import tempfile
import time

import pytest

#: The platform's pytest config file, written next to the hidden tests.
CONFIG_NAME = "tic-pytest.ini"
#: The project's optional ``tests/fixtures.py`` (shared fixtures), written under this module name and
#: loaded with ``-p`` ("fixtures" itself is the name of a pytest built-in plugin).
FIXTURES_NAME = "project_fixtures"
#: Longest message kept per test (the grader cuts it shorter for the trainee).
MESSAGE_CAP = 500

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
    return _first_line(errors[0] if errors else (lines or [""])[-1])


class Reporter:
    """The platform's plugin: the ``modul`` fixture, the report sent over the harness's pipe, each test's time limit."""

    def __init__(self, send, bridge, test_timeout_s: float, folder: str, timeout_error: type):
        self.send = send
        self.bridge = bridge
        self.timeout = test_timeout_s
        self.folder = folder
        self.timeout_error = timeout_error
        self.results = {}

    @pytest.fixture
    def modul(self):
        """``modul("paket.modul")``: the trainee's module, imported in the trainee's process, as a handle."""

        def import_module(name: str):
            return self.bridge.ask({"op": "import", "name": str(name)})

        return import_module

    def pytest_collection_finish(self, session):
        """Report every collected test id and its markers; then the hidden files leave the disk."""
        tests = [{"id": item.nodeid, "markers": sorted({mark.name for mark in item.iter_markers()})}
                 for item in session.items]
        self.send({"event": "collected", "tests": tests})
        shutil.rmtree(self.folder, ignore_errors=True)

    def pytest_collectreport(self, report):
        """Report a test module that could not be collected."""
        if report.failed:
            self.send({"event": "collect_error", "id": report.nodeid, "type": "CollectionError",
                       "message": _error_line(report.longreprtext)})

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        """Give each test (setup, call, teardown) its time limit for the trainee's code."""
        self.bridge.deadline = time.monotonic() + self.timeout
        try:
            yield
        finally:
            self.bridge.deadline = None

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
            state["message"] = _first_line(_text(call.excinfo.value))
            if isinstance(call.excinfo.value, self.timeout_error):
                state["outcome"] = "timeout"

    def pytest_runtest_logfinish(self, nodeid, location):
        """Report one test once all its phases ran."""
        state = self.results.get(nodeid) or {"outcome": "error", "type": "", "message": ""}
        self.send({"event": "test", "id": nodeid, **state})


def _text(error: BaseException) -> str:
    """An exception's message (never raising)."""
    try:
        return str(error)
    except Exception:  # noqa: BLE001
        return ""


def _write(folder: str, files: dict) -> None:
    """Write the hidden files under folder (names are the curriculum's; nothing outside folder)."""
    for name, text in files.items():
        path = os.path.normpath(os.path.join(folder, str(name)))
        if not path.startswith(folder + os.sep):
            continue
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        with open(path, "w", encoding="utf-8") as target:
            target.write(str(text))


def run(channel, bridge, message: dict, timeout_error: type) -> None:
    """Run pytest over the hidden tests in this process; send the report and then ``done``."""
    bridge.test_timeout_s = float(message.get("test_timeout_s") or 10)
    folder = tempfile.mkdtemp(prefix="tic-uji-")  # mode 0700, this uid only: the trainee's uid cannot enter
    _write(folder, message.get("files") or {})

    def send(event):
        channel.send({"op": "event", "event": event})

    for name in ("PYTEST_ADDOPTS", "PYTEST_PLUGINS"):
        os.environ.pop(name, None)
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    sys.path.insert(0, folder)  # for -p project_fixtures; the trainee's files are never on this path ...
    tree = message.get("trainee_tree")
    if tree:  # ... except for the public tests, which import the package as on the trainee's own machine
        sys.path.insert(1, tree)
        os.chdir(tree)
    reporter = Reporter(send, bridge, bridge.test_timeout_s, folder, timeout_error)
    args = ["-c", os.path.join(folder, CONFIG_NAME), "--rootdir", folder, "--noconftest",
            "-p", "no:cacheprovider", "-p", "no:stepwise", "--import-mode=importlib",
            "-q", "--no-header", "-o", "console_output_style=classic"]
    if os.path.isfile(os.path.join(folder, FIXTURES_NAME + ".py")):
        args += ["-p", FIXTURES_NAME]
    args.append(folder)
    try:
        code = pytest.main(args, plugins=[reporter])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    send({"event": "end", "exit": int(code)})
    channel.send({"op": "done"})

