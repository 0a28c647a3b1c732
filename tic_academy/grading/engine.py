"""The grading engine: settings, the kernel pool it owns, and `grade`."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from . import sandbox
from .limits import Limits
from .notebook import DEFAULT_SIZE_CAP, load_source
from .pipeline import GradingResult, GradingRun, run_pipeline
from .pool import KernelPool


@dataclass(frozen=True)
class GradingSettings:
    """How the engine runs kernels: sandbox mode, pool size, default limits, notebook size cap."""

    sandbox: str = "bwrap"
    pool_size: int = 2
    limits: Limits = field(default_factory=Limits)
    size_cap: int = DEFAULT_SIZE_CAP

    @classmethod
    def from_config(cls, config: Mapping) -> GradingSettings:
        """Build settings from a Flask config (keys SANDBOX, KERNEL_POOL_SIZE)."""
        return cls(
            sandbox=str(config.get("SANDBOX") or "bwrap").lower(),
            pool_size=int(config.get("KERNEL_POOL_SIZE", 2)),
        )

    @classmethod
    def from_env(cls, environ: Mapping | None = None) -> GradingSettings:
        """Build settings from TIC_SANDBOX and TIC_KERNEL_POOL_SIZE."""
        environ = os.environ if environ is None else environ
        return cls.from_config({
            "SANDBOX": environ.get("TIC_SANDBOX", "bwrap"),
            "KERNEL_POOL_SIZE": environ.get("TIC_KERNEL_POOL_SIZE", 2),
        })


class GradingEngine:
    """Grades notebooks in sandboxed single-use kernels; one per process, shared by all threads."""

    def __init__(self, settings: GradingSettings | None = None):
        self.settings = settings or GradingSettings()
        #: Why trainee code cannot run here (None when it can).
        self.unavailable: str | None = None
        self._pool: KernelPool | None = None
        try:
            sandbox.check_mode(self.settings.sandbox)
        except sandbox.SandboxUnavailable as error:
            self.unavailable = str(error)
            return
        self._pool = KernelPool(self.settings.sandbox, self.settings.pool_size, self.settings.limits)

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
