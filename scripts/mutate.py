"""Mutation testing of the rule modules: change one operator at a time and check that a test fails.

Usage (from the repository root, with the project's virtualenv):

    python scripts/mutate.py                 # every module in RULE_MODULES
    python scripts/mutate.py progress quotas # only these modules
    python scripts/mutate.py --list          # the modules, their code and their covering tests

For each module it rewrites one expression of the rule code at a time (a "mutant"), runs the tests that
cover the module (``-x -q -p no:randomly -n 0``, in a forked process, with a time limit) and counts the
mutant as *killed* when a test fails. It prints every surviving mutant as
``file:line  function: change  in: expression`` and the kill ratio per module; it exits with 1 when a
module is below the target (95 %). The file is always restored, even on Ctrl-C.

Mutants that cannot change behaviour (equivalent mutants) are listed in ``scripts/mutate_equivalent.txt``
with a one-line reason each; they are not counted.
"""
from __future__ import annotations

import argparse
import ast
import fnmatch
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT_FILE = ROOT / "scripts" / "mutate_equivalent.txt"
#: Seconds a mutant's test run may take before it counts as killed (a mutant that loops forever).
TIMEOUT_S = 120

# The one map of which code is a rule and which tests cover it. A module is a list of
# (file, functions) parts: ``functions`` names the functions and methods to mutate
# ("Class.method" for a method), or is None for every function in the file.
RULE_MODULES: dict[str, dict] = {
    "progress": {
        "code": [("tic_academy/services/progress.py", None)],
        "tests": ["tests/rules/test_progress_rules.py", "tests/services/test_progress.py",
                  "tests/services/test_must_pass.py"],
    },
    "scoring": {
        "code": [("tic_academy/grading/scoring.py", None)],
        "tests": ["tests/rules/test_scoring_rules.py", "tests/grading/test_scoring.py"],
    },
    "effective_score": {
        "code": [("tic_academy/models/work.py", [
            "Submission.score", "Submission._score_expression", "Submission.share",
            "Submission._share_expression", "Submission.counts_for_progress",
            "Submission._counts_for_progress_expression", "Submission.held",
        ])],
        # Not tests/mentoring/test_integrity_hold.py: its page tests fail now and then in the forked runs.
        "tests": ["tests/rules/test_effective_score_rules.py", "tests/services/test_progress.py"],
    },
    "dashboards": {
        # The figures and aggregates; the cache's bookkeeping and the mentors' response times are left out.
        "code": [("tic_academy/services/dashboards.py", [
            "TraineeRow.passed_stages", "TraineeRow.current_stage", "TraineeRow.all_passed", "TraineeRow.graduated",
            "TraineeRow.points", "TraineeRow.progress", "TraineeRow.on_track", "TraineeRow.last_active",
            "CohortFigures.week", "CohortFigures.of_opd", "load_cohort", "_enrollments", "_scores", "_week_end",
            "_last_submissions", "_approved_signoffs", "summarise", "weekly_series", "nomination_counts",
            "opd_lines", "funnel", "cohort_overview", "default_cohort", "cohorts_of_opd",
        ])],
        # Not test_query_count_does_not_grow_with_trainees: it builds 55 trainees per run and checks no figure.
        "tests": ["tests/program/test_dashboard_rules.py"] + [f"tests/program/test_dashboards.py::{name}" for name in (
            "test_figures_match_the_progress_rules", "test_pace_and_first_pass",
            "test_late_sunday_utc_submission_counts_in_the_wib_monday_week", "test_signoff_stage_needs_the_mentor",
            "test_cached_figures_follow_every_change", "test_cohort_figures_are_not_kept_in_app_state",
        )] + ["tests/services/test_must_pass.py"],
    },
    "quotas": {
        "code": [
            ("tic_academy/services/cohorts.py", ["_check_quotas", "_set_quotas", "_enrolled_count",
                                                 "places_taken", "least_loaded_mentor"]),
            ("tic_academy/services/nominations.py", ["submit", "_approve"]),
            ("tic_academy/models/program.py", ["Cohort.quota_for", "Cohort.week_on"]),
        ],
        "tests": ["tests/program/test_quota_rules.py", "tests/program/test_cohorts.py",
                  "tests/program/test_nominations.py"],
    },
    "working_days": {
        "code": [("tic_academy/services/workdays.py", None), ("tic_academy/clock.py", None)],
        "tests": ["tests/rules/test_workday_rules.py", "tests/test_clock.py", "tests/mentoring/test_workdays.py"],
    },
    "lockout": {
        "code": [("tic_academy/services/accounts.py", [
            "authenticate", "_lock_rules", "_failure_rows", "_paused_until", "_count_failure",
            "_clear_failures", "_forget_old_failures",
        ])],
        "tests": ["tests/rules/test_lockout_rules.py", "tests/test_login_lockout.py"],
    },
    "access": {
        "code": [
            ("tic_academy/models/work.py", ["Submission.can"]),
            ("tic_academy/models/mentoring.py", ["ReviewItem.can", "ReviewItem.held_by"]),
            ("tic_academy/models/program.py", ["Enrollment.current_for", "Nomination.can", "Certificate.can"]),
            ("tic_academy/models/organisation.py", ["User.can"]),
        ],
        # The route matrix (tests/test_access.py) covers these too, but takes about a minute a run.
        "tests": ["tests/rules/test_access_rules.py", "tests/mentoring/test_queue.py"],
    },
    "plain_data": {
        # The rules of what crosses and within which limits; the numpy/pandas adapters (_encode_library,
        # _numpy, _frame, _series, _cell, _as_dtype) are conversions, checked by the round-trip tests.
        "code": [("tic_academy/grading/inside/codec.py", [
            "_Budget.__init__", "_Budget.take", "encode", "_bounded", "_is_namedtuple", "decode", "_view",
            "_namedtuple",
        ])],
        "tests": ["tests/rules/test_plain_data_rules.py"],
        # Pure functions: no app, no database, so the project's conftest (which builds the app) is skipped.
        "pytest_args": ["--noconftest"],
    },
}

#: Calls whose arguments are filter conditions; each condition is dropped in turn.
FILTER_CALLS = {"where", "filter", "filter_by", "and_", "having"}
COMPARE_SWAPS = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt,
                 ast.Gt: ast.GtE, ast.GtE: ast.Gt}
COMPARE_TEXT = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}


@dataclass
class Mutant:
    """One change to one expression: where it is, what it was, what it becomes."""

    path: str
    function: str
    line: int
    old: str
    new: str
    #: Byte offsets of the replaced text in the file, and the text put there instead.
    start: int
    end: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}  {self.function}: {self.new}  in: {self.old}"

    @property
    def key(self) -> str:
        """How the mutant is named in the equivalent-mutants file (no line number, so edits elsewhere keep it)."""
        return f"{self.path}  {self.function}: {self.new}  in: {self.old}"


def _replacements(node: ast.AST) -> list[tuple[ast.AST, str]]:
    """The mutated versions of one node (each with a short description), or none."""
    out: list[tuple[ast.AST, str]] = []
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in COMPARE_SWAPS:
                ops = list(node.ops)
                ops[i] = COMPARE_SWAPS[type(op)]()
                new_text = COMPARE_TEXT[type(ops[i])]
                out.append((ast.Compare(node.left, ops, node.comparators), f"{COMPARE_TEXT[type(op)]} -> {new_text}"))
    elif isinstance(node, ast.BoolOp):
        other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        out.append((ast.BoolOp(other, node.values), "and -> or" if isinstance(node.op, ast.And) else "or -> and"))
    elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        other = ast.Sub() if isinstance(node.op, ast.Add) else ast.Add()
        out.append((ast.BinOp(node.left, other, node.right), "+ -> -" if isinstance(node.op, ast.Add) else "- -> +"))
    elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitAnd, ast.BitOr)):  # SQL's and/or
        other = ast.BitOr() if isinstance(node.op, ast.BitAnd) else ast.BitAnd()
        out.append((ast.BinOp(node.left, other, node.right), "& -> |" if isinstance(node.op, ast.BitAnd) else "| -> &"))
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
        out.append((ast.Constant(not node.value), f"{node.value} -> {not node.value}"))
    elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        for delta in (1, -1):
            out.append((ast.Constant(node.value + delta), f"{node.value!r} -> {node.value + delta!r}"))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.Invert)):
        out.append((node.operand, "removed " + ("not" if isinstance(node.op, ast.Not) else "~")))
    elif isinstance(node, ast.Call) and _call_name(node) in FILTER_CALLS and len(node.args) + len(node.keywords) >= 1:
        conditions = node.args
        for i in range(len(conditions)):
            kept = conditions[:i] + conditions[i + 1:]
            if not kept:
                kept = [ast.Name("True")]
            call = ast.Call(node.func, kept, node.keywords)
            out.append((call, f"dropped condition {ast.unparse(conditions[i])[:60]}"))
    return out


def _call_name(node: ast.Call) -> str:
    """The called name: ``where`` for ``q.where(...)``, ``and_`` for ``and_(...)``."""
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    if isinstance(node.func, ast.Name):
        return node.func.id
    return ""


def _skip_nodes(function: ast.AST) -> set[int]:
    """Nodes never mutated: docstrings and type annotations."""
    skip: set[int] = set()
    for node in ast.walk(function):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            skip.add(id(body[0].value))
        for name in ("returns", "annotation"):
            annotation = getattr(node, name, None)
            if annotation is not None:
                skip.update(id(n) for n in ast.walk(annotation))
    return skip


def _functions(tree: ast.Module, wanted: list[str] | None):
    """(qualified name, node) of the functions to mutate, outermost only."""
    found = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.append((node.name, node))
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found.append((f"{node.name}.{item.name}", item))
    if wanted is None:
        return found
    missing = set(wanted) - {name for name, _ in found}
    if missing:
        raise SystemExit(f"mutate: no function {sorted(missing)} (update RULE_MODULES in scripts/mutate.py)")
    return [(name, node) for name, node in found if name in wanted]


def _line_offsets(source: bytes) -> list[int]:
    """Byte offset of the start of each line (1-based index)."""
    offsets = [0, 0]
    for line in source.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    return offsets


def mutants_of(path: str, wanted: list[str] | None) -> list[Mutant]:
    """Every mutant of the named functions of one file."""
    source = (ROOT / path).read_bytes()
    tree = ast.parse(source)
    offsets = _line_offsets(source)
    result = []
    seen: set[tuple[int, int, str]] = set()
    for name, function in _functions(tree, wanted):
        skip = _skip_nodes(function)
        # Default argument values are mutated like any other constant (they sit in function.args).
        for node in ast.walk(function):
            if id(node) in skip or not hasattr(node, "end_col_offset"):
                continue
            start = offsets[node.lineno] + node.col_offset
            end = offsets[node.end_lineno] + node.end_col_offset
            old = source[start:end].decode("utf-8")
            for replacement, change in _replacements(node):
                if (start, end, change) in seen:
                    continue
                seen.add((start, end, change))
                new = ast.unparse(replacement)
                result.append(Mutant(path, name, node.lineno, _short(old), change, start, end, "(" + new + ")"))
    result.sort(key=lambda m: (m.line, m.start, m.new))
    return result


def _short(text: str) -> str:
    """One line of at most 70 characters."""
    text = " ".join(text.split())
    return text if len(text) <= 70 else text[:67] + "..."


def _forget_bytecode(path: Path) -> None:
    """Remove the file's cached bytecode so the next run compiles what is on disk now."""
    for cached in (path.parent / "__pycache__").glob(path.stem + ".*.pyc"):
        cached.unlink(missing_ok=True)


def preload_libraries() -> None:
    """Import the libraries the tests use once, so each mutant's run starts from a fork without paying for them.

    The project's own modules (``tic_academy``, ``tests``) are never imported here: each forked run
    imports them from disk, mutated file included.
    """
    listing = subprocess.run(
        [sys.executable, "-c", "import sys, tests.conftest; print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"],
        cwd=ROOT, capture_output=True, text=True,
    )
    for name in [*listing.stdout.split(), "numpy", "pandas"]:
        if name not in ("tic_academy", "tests", "__main__", "conftest"):
            try:
                __import__(name)
            except Exception:  # a library that cannot be preloaded is simply imported in each run
                pass


class _FirstFailure:
    """A pytest plugin for the child: tells the parent (through a pipe) each test it starts and each failure."""

    def __init__(self, write_fd: int):
        self.write_fd = write_fd

    def _say(self, line: str) -> None:
        os.write(self.write_fd, (line + "\n").encode("utf-8"))

    def pytest_runtest_logstart(self, nodeid, location):
        self._say(f"start {nodeid}")

    def pytest_runtest_logreport(self, report):
        if report.failed:
            self._say(f"failed {report.nodeid}")

    def pytest_collectreport(self, report):
        if report.failed:
            self._say(f"failed {report.nodeid}")


def run_tests(tests: list[str], extra: tuple[str, ...] = ()) -> str | None:
    """Run the covering tests in a forked child; None when they all pass, else the test that failed first.

    A run past TIMEOUT_S (a mutant that loops forever) is stopped and blamed on the test it was in.
    """
    args = ["-x", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", "-n", "0", "--no-header", *extra, *tests]
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: quiet, no bytecode written, exit with pytest's code
        import pytest  # only the child runs pytest; the parent never imports the project

        os.close(read_fd)
        sys.dont_write_bytecode = True
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        try:
            code = int(pytest.main(args, plugins=[_FirstFailure(write_fd)]))
        except BaseException:
            code = 99
        os._exit(code)
    os.close(write_fd)
    os.set_blocking(read_fd, False)
    said = b""
    deadline = time.monotonic() + TIMEOUT_S
    try:
        while True:
            said += _read_available(read_fd)
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                said += _read_available(read_fd)
                code = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                code = -1
                break
            time.sleep(0.05)
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    finally:
        os.close(read_fd)
    if code == 0:
        return None
    lines = said.decode("utf-8", "replace").splitlines()
    failed = [line[len("failed "):] for line in lines if line.startswith("failed ")]
    started = [line[len("start "):] for line in lines if line.startswith("start ")]
    return (failed or started or ["(the run did not start a test)"])[0 if failed else -1]


def _read_available(fd: int) -> bytes:
    """What the child has written so far (without waiting)."""
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def load_equivalent() -> set[str]:
    """Keys of the mutants known not to change behaviour (text before ' # ' on each line)."""
    if not EQUIVALENT_FILE.exists():
        return set()
    keys = set()
    for line in EQUIVALENT_FILE.read_text(encoding="utf-8").splitlines():
        key = line.split(" # ")[0].rstrip()
        if key and not key.startswith("#"):
            keys.add(key)
    return keys


@dataclass
class Outcome:
    """One module's result: mutants counted, survivors, and how many the tests outside ``--without`` kill."""

    counted: int = 0
    survivors: list = field(default_factory=list)
    killed_without: int = 0

    @property
    def killed(self) -> int:
        """Mutants a test noticed."""
        return self.counted - len(self.survivors)


def mutate_module(name: str, spec: dict, equivalent: set[str], without: str | None = None,
                  only: set[str] | None = None) -> Outcome:
    """Run every mutant of one module against its covering tests.

    With ``without`` (a glob of test files, e.g. ``*_rules.py``), the other tests run first, so the
    first failure also says whether the module's tests would kill the mutant without those files.
    """
    tests = [t for t in spec["tests"] if (ROOT / t.split("::")[0]).exists()]
    if without:
        tests = sorted(tests, key=lambda t: fnmatch.fnmatch(t.split("::")[0], without))
    outcome = Outcome()
    if not tests:  # nothing covers it: every mutant survives (pytest without paths would run the whole suite)
        for path, functions in spec["code"]:
            for mutant in mutants_of(path, functions):
                if mutant.key not in equivalent:
                    outcome.counted += 1
                    outcome.survivors.append(mutant)
                    print(f"  survived  {mutant}", flush=True)
        return outcome
    extra = tuple(spec.get("pytest_args", ()))
    failed = run_tests(tests, extra)
    if failed is not None:  # once more: on a crowded machine a test can fail by itself now and then
        print(f"  (the unchanged code failed {failed}; trying again)", flush=True)
        failed = run_tests(tests, extra)
    if failed is not None:
        raise SystemExit(f"mutate: the tests of {name} fail without any mutant ({failed})")
    for path, functions in spec["code"]:
        file = ROOT / path
        original = file.read_bytes()
        try:
            for mutant in mutants_of(path, functions):
                if mutant.key in equivalent or (only is not None and str(mutant) not in only):
                    continue
                file.write_bytes(original[:mutant.start] + mutant.text.encode("utf-8") + original[mutant.end:])
                _forget_bytecode(file)
                failed = run_tests(tests, extra)
                outcome.counted += 1
                if failed is None:
                    outcome.survivors.append(mutant)
                    print(f"  survived  {mutant}", flush=True)
                elif without and not fnmatch.fnmatch(failed.split("::")[0], without):
                    outcome.killed_without += 1
                elif without:
                    print(f"  killed only by {failed.split('::')[0]}: {mutant}", flush=True)
        finally:
            file.write_bytes(original)
            _forget_bytecode(file)
    return outcome


def main(argv: list[str] | None = None) -> int:
    """Run the chosen modules (all by default) and print a summary; exit 1 below the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help=f"some of: {', '.join(RULE_MODULES)}")
    parser.add_argument("--list", action="store_true", help="show the modules and their mutant counts")
    parser.add_argument("--target", type=float, default=0.95, help="kill ratio each module must reach")
    parser.add_argument("--without", metavar="GLOB",
                        help="also report the kill ratio without the test files matching GLOB (e.g. '*_rules.py')")
    parser.add_argument("--survivors", metavar="LOG",
                        help="run only the mutants a previous run's output (LOG) lists as survived")
    args = parser.parse_args(argv)
    unknown = set(args.modules) - set(RULE_MODULES)
    if unknown:
        parser.error(f"unknown module(s) {sorted(unknown)}; known: {', '.join(RULE_MODULES)}")
    names = args.modules or list(RULE_MODULES)
    equivalent = load_equivalent()
    known = {m.key for spec in RULE_MODULES.values() for path, functions in spec["code"]
             for m in mutants_of(path, functions)}
    for key in sorted(equivalent - known):
        print(f"mutate: {EQUIVALENT_FILE.name} names a mutant that no longer exists: {key}", file=sys.stderr)
    if args.list:
        for name in names:
            spec = RULE_MODULES[name]
            count = sum(len(mutants_of(path, functions)) for path, functions in spec["code"])
            print(f"{name}: {count} mutants; tests: {' '.join(spec['tests'])}")
        return 0
    os.chdir(ROOT)
    preload_libraries()
    only = None
    if args.survivors:
        marker = "  survived  "
        only = {line[len(marker):].rstrip("\n") for line in Path(args.survivors).read_text(encoding="utf-8").splitlines()
                if line.startswith(marker)}
    summary = []
    for name in names:
        print(f"== {name}", flush=True)
        outcome = mutate_module(name, RULE_MODULES[name], equivalent, args.without, only)
        ratio = outcome.killed / outcome.counted if outcome.counted else 1.0
        summary.append((name, outcome, ratio))
        print(f"   {name}: {outcome.killed}/{outcome.counted} killed ({ratio:.0%}), {len(outcome.survivors)} survived",
              flush=True)
    print("\nmodule            killed/total  ratio" + (f"   without {args.without}" if args.without else ""))
    for name, outcome, ratio in summary:
        line = f"{name:<17} {outcome.killed:>5}/{outcome.counted:<6}  {ratio:6.1%}"
        if args.without:
            before = outcome.killed_without / outcome.counted if outcome.counted else 1.0
            line += f"   {outcome.killed_without:>5}/{outcome.counted:<6} {before:6.1%}"
        print(line, flush=True)
    return 0 if all(ratio >= args.target for *_, ratio in summary) else 1


def _interrupt(_signum, _frame):
    """Treat a polite kill like Ctrl-C, so the mutated file is put back."""
    raise KeyboardInterrupt


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        # The finally blocks above have already put every file back.
        sys.exit(130)
