"""Grading exercise notebooks: nbgrader-format notebooks, run in sandboxed single-use kernels.

Public API (what services and the runners call)::

    from tic_academy.grading import GradingEngine, GradingSettings

    engine = GradingEngine(GradingSettings.from_config(app.config))  # one per process; thread-safe
    result = engine.grade(
        source_nb,              # the source notebook: NotebookNode, dict, JSON text or bytes
        answers,                # {grade_id: source} or an uploaded .ipynb (bytes/str/dict/NotebookNode)
        mode="submit",          # "run" | "check" | "submit"
        limits=None,            # Limits(...) or a dict of overrides, e.g. {"cell_timeout_s": 5}
        allowed_imports=None,   # e.g. ["math", "pandas"]; None allows any import
        run_until=None,         # "run" mode only: last cell to run, by grade_id or source index
        rules=None,             # the exercise's static rules (dicts as in the track file), scored as rule:<id>
        hash_seed=None,         # PYTHONHASHSEED of the kernel; None keeps the fixed default (0)
    )
    result.to_dict()   # score, max_score, tests, flags, notes, duration_s, cells, error: safe for trainees
    result.notebook    # the executed notebook WITH hidden tests: store it, show it to mentors only
    engine.close()     # also done at exit

Config keys read by `GradingSettings.from_config`: SANDBOX ("bwrap" default, or "none" for
development only: every run then logs a warning), KERNEL_POOL_SIZE (default 2) and
KERNEL_MAX_LIVE (default pool size + 2) and FORK_SERVER (default on: kernels are forked from a
zygote, see forkserver.py). `GradingSettings.from_env` reads TIC_SANDBOX, TIC_KERNEL_POOL_SIZE,
TIC_KERNEL_MAX_LIVE and TIC_FORK_SERVER instead. `engine.isolation` says what isolates
trainee code here (seccomp, and cgroup v2/v1 or only rlimits as the total bound per sandbox).
When the sandbox tools are missing and SANDBOX is not "none", `engine.unavailable` says why and
`grade` raises SandboxUnavailable. A malformed source or upload raises NotebookFormatError;
a bad mode or run_until raises ValueError; a kernel that cannot start raises KernelStartError
(worth retrying: mark the job failed or re-queue it).
A forbidden import does not raise: the result has `error` set and every test `not_run`.

Project exercises: ``engine.grade_project(spec, snapshot, limits=None)`` grades a commit's files
(tar.gz) against a ``ProjectSpec`` (points map + hidden pytest files) with pytest in the same sandbox
and returns a ``ProjectResult`` shaped like ``GradingResult`` (``notebook`` is None); see project.py.
A project's repository checks (``spec.checks``) are computed outside the sandbox from the bare
repository: ``evaluate_checks(spec.checks, repo, sha, template_sha, prepared)`` gives their results and
``with_checks(result, checked)`` adds them (checks.py; RepositoryUnreadable when git cannot read it).

For the curriculum: `find_problems(data)` lists every problem of a source notebook (one line
each), `load_source(data)` raises NotebookFormatError on the first, and
`make_trainee_version(nb)` returns the notebook a trainee receives.
Answer shapes (representer.py): `shape_hash(cells, keep)` hashes answer code normalised with
`ast` (names renamed canonically, comments, docstrings and formatting dropped; never run), keeping
the exercise's `interface_names(tests, locked, starters)`. `needs_hold(flags)` says
whether integrity flags hold a score for a mentor.

Each test result carries `title` (its task heading) and `hint` (a code and values explaining a
failure, worded where it is shown: see explain.HINT_CODES).

Everything grading says is a message, `{"code": ..., "params": {...}}` (messages.CODES): a test's
`message`, the result's `notes` and `error`, a flag's `message`. Grading holds no sentences for
people; the web layer words each code in the reader's language (services/test_display.py).

Modules: messages (the message codes), notebook (format), trainee (trainee version), assemble, integrity, sandbox (the only
builder of the sandbox command), seccomp (its syscall filter), cgroups (its total bound),
kernel (the only user of jupyter_client), pool, outputs,
scoring, rules (static checks), representer (answer shapes), explain (what a trainee is shown: cells without hidden tests, hints), pipeline (the steps), engine, project (project exercises), harness (the pipes to the test harness), inside/ (code that runs inside the sandbox). `flask grade` lives in jobs/commands.py: this package never imports Flask, the database or services.
"""

from .engine import GradingEngine, GradingSettings
from .integrity import Flag, needs_hold
from .kernel import KernelStartError
from .limits import Limits
from .messages import CODES as MESSAGE_CODES, message
from .notebook import NotebookFormatError, find_problems, load_source
from .pipeline import GradingResult
from .representer import interface_names, shape_hash
from .checks import RepositoryUnreadable, evaluate as evaluate_checks
from .project import SNAPSHOT_CAP, ProjectResult, ProjectSpec, pack_files, pack_tree, read_files, too_large, with_checks
from .sandbox import SandboxUnavailable
from .scoring import TestResult
from .trainee import make_trainee_version

__all__ = [
    "Flag",
    "GradingEngine",
    "GradingResult",
    "GradingSettings",
    "KernelStartError",
    "Limits",
    "MESSAGE_CODES",
    "NotebookFormatError",
    "ProjectResult",
    "ProjectSpec",
    "RepositoryUnreadable",
    "SNAPSHOT_CAP",
    "too_large",
    "SandboxUnavailable",
    "TestResult",
    "evaluate_checks",
    "find_problems",
    "interface_names",
    "load_source",
    "make_trainee_version",
    "message",
    "needs_hold",
    "pack_files",
    "pack_tree",
    "read_files",
    "shape_hash",
    "with_checks",
]
