"""Runners: how the web process hands grading jobs off (it never runs trainee code itself).

- ``LocalRunner`` (default, ``TIC_RUNNER=local``): worker threads in the app
  process, each driving sandboxed kernels from this process's engine.
- ``CeleryRunner`` (``TIC_RUNNER=celery``): Celery workers on any number of
  machines, Redis as broker and result backend (see ``worker.py``).

Jobs sit above services: they call ``services.submissions`` to store results;
the grading library below them knows nothing of either.

Both offer ``enqueue(submission_id)`` for recorded submissions and
``grade_now(job)`` for ``run``/``check`` requests that wait for the answer.
A job is a plain dict: ``{"source", "answers", "mode", "limits",
"allowed_imports", "run_until", "rules"}``; the answer is ``GradingResult.to_dict()``.
"""
from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from flask import Flask, current_app

from ..grading import GradingEngine, GradingSettings
from ..services import projects, warnings
from ..services.settings import ServiceSettings
from ..services.submissions import grade_submission, requeue_stale
from .periodic import seconds_until_early_warning
from .worker import grade_job, make_celery, repo_root_of

log = logging.getLogger(__name__)

#: How long a waiting request (run/check) may take before it gives up (Celery).
GRADE_NOW_TIMEOUT_S = 120
#: The local runner's sweep for lost jobs: first run after start-up, then every so often.
SWEEP_DELAY_S = 30
SWEEP_INTERVAL_S = 300

_lock = threading.Lock()


def get_engine(app: Flask) -> GradingEngine:
    """This process's grading engine, started on first use (not by create_app)."""
    with _lock:
        engine = app.extensions.get("tic_engine")
        if engine is None:
            engine = GradingEngine(GradingSettings.from_config(app.config))
            app.extensions["tic_engine"] = engine
        return engine


class LocalRunner:
    """Grades in threads of the app process, through the sandboxed kernel pool."""

    name = "local"

    def __init__(self, app: Flask):
        self.app = app
        self.executor = ThreadPoolExecutor(
            max_workers=max(1, app.config.get("KERNEL_POOL_SIZE", 2)), thread_name_prefix="grader"
        )
        # Jobs live only in this process's memory: after a restart, the sweep
        # finds the submissions they left queued or running and grades them.
        self._sweeper = threading.Timer(SWEEP_DELAY_S, self._sweep)
        self._sweeper.daemon = True
        self._sweeper.start()
        # The early warning runs every morning in this process (Celery beat does it with TIC_RUNNER=celery).
        self._warning_timer = self._start_warning_timer()

    def _start_warning_timer(self) -> threading.Timer:
        """Schedule the next morning's early warning."""
        timer = threading.Timer(seconds_until_early_warning(), self._early_warning)
        timer.daemon = True
        timer.start()
        return timer

    def _early_warning(self) -> None:
        """Run the early warning's daily job, then schedule the next one."""
        with self.app.app_context():
            try:
                warnings.run_daily()
            except Exception:  # a failed day must not stop the next ones
                log.exception("the early warning job failed")
        self._warning_timer = self._start_warning_timer()

    def _sweep(self) -> None:
        """Re-queue lost jobs, then schedule the next sweep."""
        with self.app.app_context():
            try:
                requeue_stale(self.enqueue)
            except Exception:
                log.exception("the grading sweep failed")
        self._sweeper = threading.Timer(SWEEP_INTERVAL_S, self._sweep)
        self._sweeper.daemon = True
        self._sweeper.start()

    def enqueue(self, submission_id: int) -> None:
        """Grade a recorded submission in the background."""
        self.executor.submit(self._grade_submission, submission_id)

    def _grade_submission(self, submission_id: int) -> None:
        """Grade one recorded submission inside an app context."""
        with self.app.app_context():
            try:
                grade_submission(submission_id, get_engine(self.app), ServiceSettings.from_config(self.app.config),
                                 repo_root_of(self.app))
            except Exception:  # keep the thread alive; the sweep re-queues the job
                log.exception("local grading of submission %s failed", submission_id)

    def grade_now(self, job: dict) -> dict:
        """Grade a run/check job in the calling thread (the engine is thread-safe and bounds kernels),
        so Run and Check never wait behind queued submissions."""
        return grade_job(get_engine(self.app), job)


class CeleryRunner:
    """Hands jobs to Celery workers through Redis."""

    name = "celery"

    def __init__(self, app: Flask):
        self.celery = make_celery(app, get_engine)

    def enqueue(self, submission_id: int) -> None:
        """Queue a recorded submission for a worker; with Redis away it stays queued for the sweep."""
        try:
            self.celery.send_task("tic.grade_submission", args=[submission_id])
        except Exception:  # noqa: BLE001 - kombu raises several kinds; the submission is already recorded
            log.warning("could not queue submission %s (Redis away?); the sweep queues it later",
                        submission_id, exc_info=True)

    def grade_now(self, job: dict) -> dict:
        """Send a run/check job to a worker and wait for its result."""
        async_result = self.celery.send_task("tic.grade_job", args=[job])
        return async_result.get(timeout=GRADE_NOW_TIMEOUT_S)


RUNNERS = {"local": LocalRunner, "celery": CeleryRunner}


def get_runner(app: Flask | None = None):
    """The runner chosen by ``TIC_RUNNER`` for this app, created on first use."""
    app = app or current_app
    # The runner's threads outlive the request: hold the app itself, not the proxy.
    app = app._get_current_object() if hasattr(app, "_get_current_object") else app
    with _lock:
        runner = app.extensions.get("tic_runner")
        if runner is None:
            name = app.config.get("RUNNER", "local")
            if name not in RUNNERS:
                raise RuntimeError(f"TIC_RUNNER must be one of {sorted(RUNNERS)}, not {name!r}")
            runner = RUNNERS[name](app)
            app.extensions["tic_runner"] = runner
        return runner


def close_runner(app: Flask) -> None:
    """Stop this app's runner threads and kill its kernels (tests, shutdown)."""
    runner = app.extensions.pop("tic_runner", None)
    if isinstance(runner, LocalRunner):
        runner._sweeper.cancel()
        runner._warning_timer.cancel()
        runner.executor.shutdown(wait=True, cancel_futures=True)
    engine = app.extensions.pop("tic_engine", None)
    if engine is not None:
        engine.close()


@projects.commit_submitted.connect
def enqueue_submitted_commit(submission, **_extra) -> None:
    """A project submission was recorded (a push or the Kumpulkan button): hand it to this app's runner."""
    get_runner().enqueue(submission.id)
