"""The grading engine: settings, the kernel pool it owns, and `grade`."""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import nbformat

from . import cgroups, sandbox
from .limits import Limits
from .notebook import DEFAULT_SIZE_CAP, load_source
from .pipeline import GradingResult, GradingRun, run_pipeline
from .pool import KernelPool
from .project import ProjectResult, ProjectSpec, grade_project

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GradingSettings:
    """How the engine runs kernels: sandbox mode, pool size, live kernel cap, default limits, notebook size cap."""

    sandbox: str = "bwrap"
    pool_size: int = 2
    limits: Limits = field(default_factory=Limits)
    size_cap: int = DEFAULT_SIZE_CAP
    #: Most kernels alive at once in this process, warm and cold (None: pool_size + 2).
    max_live: int | None = None
    #: Fork kernels from a zygote that imported ipykernel once (bubblewrap as root only; see forkserver.py).
    fork_server: bool = True

    @classmethod
    def from_config(cls, config: Mapping) -> GradingSettings:
        """Build settings from a Flask config (keys SANDBOX, KERNEL_POOL_SIZE, KERNEL_MAX_LIVE, FORK_SERVER)."""
        max_live = config.get("KERNEL_MAX_LIVE")
        return cls(
            sandbox=str(config.get("SANDBOX") or "bwrap").lower(),
            pool_size=int(config.get("KERNEL_POOL_SIZE", 2)),
            max_live=int(max_live) if max_live else None,
            fork_server=str(config.get("FORK_SERVER", True)).lower() not in ("0", "false", "no", "off"),
        )

    @classmethod
    def from_env(cls, environ: Mapping | None = None) -> GradingSettings:
        """Build settings from TIC_SANDBOX, TIC_KERNEL_POOL_SIZE, TIC_KERNEL_MAX_LIVE and TIC_FORK_SERVER."""
        environ = os.environ if environ is None else environ
        return cls.from_config({
            "SANDBOX": environ.get("TIC_SANDBOX", "bwrap"),
            "KERNEL_POOL_SIZE": environ.get("TIC_KERNEL_POOL_SIZE", 2),
            "KERNEL_MAX_LIVE": environ.get("TIC_KERNEL_MAX_LIVE"),
            "FORK_SERVER": environ.get("TIC_FORK_SERVER", "1"),
        })


def describe_isolation(mode: str) -> dict:
    """Return what isolates trainee code here: sandbox mode, seccomp, and what bounds a whole sandbox."""
    host = cgroups.host()
    return {
        "sandbox": mode,
        "seccomp": mode == "bwrap",
        # 'cgroup2' or 'cgroup1': one total bound per sandbox; 'rlimits': per-process limits only.
        "total_bound": host.kind or "rlimits",
        "total_bound_reason": host.reason,
    }


def _log_isolation(isolation: dict) -> None:
    """Log once at start-up which isolation is active (a warning when only rlimits bound a sandbox)."""
    if isolation["total_bound"] == "rlimits":
        log.warning("grading isolation: sandbox=%s seccomp=%s total bound=rlimits only (no usable cgroup: %s)",
                    isolation["sandbox"], isolation["seccomp"], isolation["total_bound_reason"])
    else:
        log.info("grading isolation: sandbox=%s seccomp=%s total bound=%s",
                 isolation["sandbox"], isolation["seccomp"], isolation["total_bound"])


class GradingEngine:
    """Grades notebooks in sandboxed single-use kernels; one per process, shared by all threads."""

    def __init__(self, settings: GradingSettings | None = None):
        self.settings = settings or GradingSettings()
        #: Why trainee code cannot run here (None when it can).
        self.unavailable: str | None = None
        #: What isolates trainee code here (see describe_isolation); None when it cannot run at all.
        self.isolation: dict | None = None
        self._pool: KernelPool | None = None
        try:
            sandbox.check_mode(self.settings.sandbox)
        except sandbox.SandboxUnavailable as error:
            self.unavailable = str(error)
            return
        self.isolation = describe_isolation(self.settings.sandbox)
        _log_isolation(self.isolation)
        self._pool = KernelPool(self.settings.sandbox, self.settings.pool_size, self.settings.limits,
                                self.settings.max_live, self.settings.fork_server)

    def grade(self, source_nb, answers=None, mode: str = "submit", limits=None,
              allowed_imports=None, run_until=None, rules=None, hash_seed=None) -> GradingResult:
        """Grade the trainee's answers (grade_id map or uploaded notebook) against a source notebook.

        ``rules`` are the exercise's static checks (dicts as in the track file); ``hash_seed``
        replaces the kernel's fixed PYTHONHASHSEED (validate uses it to find order-dependent tests).
        """
        if self._pool is None:
            raise sandbox.SandboxUnavailable(self.unavailable or "grading engine is closed")
        if self.settings.sandbox == "none":
            sandbox.warn_unsandboxed()
        if isinstance(limits, Mapping):
            limits = self.settings.limits.merged(limits)
        limits = limits or self.settings.limits
        if hash_seed is not None:
            # Pre-started kernels carry the default seed; another seed gets a cold kernel (sandbox_key).
            limits = dataclasses.replace(limits, hash_seed=int(hash_seed))
        run = GradingRun(
            source=load_source(source_nb, self.settings.size_cap),
            answers=answers,
            mode=mode,
            limits=limits,
            allowed_imports=list(allowed_imports) if allowed_imports is not None else None,
            run_until=run_until,
            rules=list(rules or []),
            executor=self._pool.execute,
        )
        return run_pipeline(run)

    def grade_project(self, spec: ProjectSpec, snapshot: bytes, limits=None, mode: str = "submit") -> ProjectResult:
        """Grade a commit's files (tar.gz) against a project's hidden tests, in this engine's sandbox mode."""
        if self._pool is None:
            raise sandbox.SandboxUnavailable(self.unavailable or "grading engine is closed")
        if isinstance(limits, Mapping):
            limits = self.settings.limits.merged(limits)
        return grade_project(spec, snapshot, self.settings.sandbox, limits or self.settings.limits, mode)

    def state(self) -> dict:
        """Counts of this process's kernels, for metrics: ready (warm), live, starting, waiting gradings."""
        pool = self._pool
        if pool is None:
            return {"ready": 0, "live": 0, "starting": 0, "waiting": 0}
        # Read without the pool's loop: each number is a plain int read, good enough for a gauge.
        return {"ready": pool._ready.qsize(), "live": len(pool._live),
                "starting": pool._starting, "waiting": pool._waiting}

    def self_check(self) -> str | None:
        """Start one sandboxed kernel and run ``1 + 1`` in it; None when that worked, else why not."""
        if self._pool is None:
            return self.unavailable or "grading engine is closed"
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
        try:
            execution = self._pool.execute(nb, [0])
        except Exception as error:  # noqa: BLE001 - any failure is the answer
            return f"{type(error).__name__}: {error}"
        status = execution.runs[0].status if execution.runs else "not_run"
        if status != "ok":
            return execution.stopped or f"the test cell ended as {status}"
        return None

    def close(self) -> None:
        """Kill all kernels; the engine cannot grade afterwards."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def __enter__(self) -> GradingEngine:
        """Use the engine in a with-block; it is closed at the end."""
        return self

    def __exit__(self, *exc) -> None:
        """Close the engine."""
        self.close()
