"""Prometheus metrics (prometheus-client; multiprocess mode when PROMETHEUS_MULTIPROC_DIR is set, e.g. gunicorn).

What is measured and where:
- request latency by endpoint (the route's name, never the raw path): after every request;
- gradings (duration by mode, wait before the first pick-up, failed, re-queued, retried), logins and
  lock-outs: from the rows the services write (Submission status changes, AuditEvent rows), counted
  when the transaction commits, so the grading and account code need no metrics calls;
- grading queue depth and the oldest queued submission's age: read from the database at scrape time;
- kernel pool state: the process that owns the pool reports it (the web process at scrape time with the
  local runner, the Celery worker around each task).
"""
from __future__ import annotations

import logging
import os
import time

from celery.signals import task_postrun, task_prerun
from flask import Flask, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import event, func, inspect, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Submission
from ..models.accounts import AuditEvent
from ..clock import now_utc
from .logs import current_submission
from ..enums import SubmissionStatus

REQUEST_LATENCY = Histogram(
    "tic_http_request_duration_seconds", "Time to answer a request, by route (endpoint) and method.",
    ["endpoint", "method"], buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10),
)
REQUESTS = Counter("tic_http_requests", "Answered requests by route, method and status.", ["endpoint", "method", "status"])
GRADING_DURATION = Histogram(
    "tic_grading_duration_seconds", "Grading time of a submission by mode (check, submit).", ["mode"],
    buckets=(0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300),
)
GRADING_WAIT = Histogram(
    "tic_grading_wait_seconds", "Time a submission waited in the queue before its first pick-up.",
    buckets=(0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600),
)
GRADINGS = Counter("tic_gradings", "Finished or re-queued gradings by mode and outcome (graded, failed, requeued).",
                   ["mode", "outcome"])
GRADING_RETRIES = Counter("tic_grading_retries", "Gradings picked up again after a lost or re-queued job.")
LOGINS = Counter("tic_logins", "Log-in attempts by outcome (success, failure, paused).", ["outcome"])
LOCKOUTS = Counter("tic_login_lockouts", "Log-in pauses started, by scope (address, account).", ["scope"])
KERNELS = Gauge("tic_kernel_pool_kernels", "Sandboxed kernels of this host's processes, by state.", ["state"],
                multiprocess_mode="livesum")

log = logging.getLogger(__name__)

#: The session key under which observations wait for their transaction to commit.
PENDING = "tic_metrics_pending"


def multiprocess_dir() -> str | None:
    """The folder multiprocess mode writes to, or None in a single process."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


# --- Request latency -----------------------------------------------------------------------------

def _start_timer() -> None:
    """Remember when the request started."""
    g.metrics_started = time.perf_counter()


def _observe_request(response):
    """Count the request and its latency under its endpoint name."""
    started = g.get("metrics_started")
    endpoint = request.url_rule.endpoint if request.url_rule is not None else "unmatched"
    if started is not None:
        REQUEST_LATENCY.labels(endpoint, request.method).observe(time.perf_counter() - started)
    REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
    return response


# --- Observations from committed rows --------------------------------------------------------------

def _seconds_between(start, end) -> float | None:
    """Seconds from start to end, or None when either is missing."""
    if start is None or end is None:
        return None
    return max(0.0, (end - start).total_seconds())


def _submission_events(submission: Submission, is_new: bool) -> list:
    """The observations a change of a submission's status stands for."""
    history = inspect(submission).attrs.status.history
    if not history.added or is_new:
        return []
    status, mode = history.added[0], submission.mode or "submit"
    events = []
    if status == "running":
        if (submission.attempts or 0) > 1:
            events.append(GRADING_RETRIES.inc)
        else:
            wait = _seconds_between(submission.created_at, submission.started_at)
            if wait is not None:
                events.append(lambda: GRADING_WAIT.observe(wait))
    elif status == "graded":
        duration = submission.duration_s or 0.0
        events.append(GRADINGS.labels(mode, "graded").inc)
        events.append(lambda: GRADING_DURATION.labels(mode).observe(duration))
    elif status in ("failed", "queued"):
        events.append(GRADINGS.labels(mode, "requeued" if status == "queued" else "failed").inc)
    return events


def _audit_events(event_row: AuditEvent) -> list:
    """The observations a new audit row stands for (log-ins and lock-outs)."""
    detail = event_row.detail or {}
    if event_row.action == "login.success":
        return [LOGINS.labels("success").inc]
    if event_row.action == "login.failure":
        return [LOGINS.labels("paused" if detail.get("reason") == "paused" else "failure").inc]
    if event_row.action == "account.locked":
        return [LOCKOUTS.labels(detail.get("scope") or "address").inc]
    return []


def _after_flush(session: Session, flush_context) -> None:
    """Collect observations from the flushed rows; they count only if the transaction commits."""
    pending = session.info.setdefault(PENDING, [])
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Submission):
            pending.extend(_submission_events(obj, obj in session.new))
        elif isinstance(obj, AuditEvent) and obj in session.new:
            pending.extend(_audit_events(obj))


def _after_commit(session: Session) -> None:
    """Apply the observations of the committed transaction."""
    for observe in session.info.pop(PENDING, []):
        observe()


def _after_rollback(session: Session) -> None:
    """Forget the observations of a rolled-back transaction."""
    session.info.pop(PENDING, None)


def listen_to_sessions() -> None:
    """Hook the session events once per process."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", lambda session, previous: _after_rollback(session))


# --- Kernel pool and queue -------------------------------------------------------------------------

def record_pool(engine) -> None:
    """Publish this process's kernel pool counts."""
    for state, count in engine.state().items():
        KERNELS.labels(state).set(count)


class QueueCollector:
    """Grading queue depth and the oldest queued submission's age, read from the database when scraped."""

    def collect(self):
        """Yield the queue gauges (none when the database does not answer: the page still works)."""
        try:
            yield from self._read()
        except SQLAlchemyError:
            db.session.rollback()
            log.warning("metrics: the grading queue could not be read", exc_info=True)

    def _read(self):
        """Yield the queue gauges read from the database."""
        depth = GaugeMetricFamily("tic_grading_queue_depth", "Submissions waiting or being graded.", labels=["status"])
        counts = dict(db.session.execute(
            select(Submission.status, func.count()).where(Submission.status.in_((SubmissionStatus.QUEUED, SubmissionStatus.RUNNING)))
            .group_by(Submission.status)
        ).all())
        for status in ("queued", "running"):
            depth.add_metric([status], counts.get(status, 0))
        yield depth
        oldest = db.session.scalar(select(func.min(Submission.created_at)).where(Submission.status == SubmissionStatus.QUEUED))
        age = GaugeMetricFamily("tic_grading_oldest_queued_seconds",
                                "Age of the oldest queued submission (0 when none waits).")
        age.add_metric([], _seconds_between(oldest, now_utc()) or 0.0)
        yield age


def render(app: Flask) -> tuple[bytes, str]:
    """The metrics page: every process's series (multiprocess mode) plus the queue read now."""
    engine = app.extensions.get("tic_engine")
    if engine is not None:
        record_pool(engine)
    if multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    queue = CollectorRegistry()
    queue.register(QueueCollector())
    return body + generate_latest(queue), CONTENT_TYPE_LATEST


# --- Celery worker -----------------------------------------------------------------------------------

def _connect_celery_signals(app: Flask) -> None:
    """In a Celery worker: name the submission in log lines and publish the pool after each task."""

    def before_task(sender=None, args=None, **kwargs):
        if sender is not None and sender.name == "tic.grade_submission" and args:
            current_submission.set(args[0])

    def after_task(sender=None, **kwargs):
        current_submission.set(None)
        engine = app.extensions.get("tic_engine")
        if engine is not None:
            record_pool(engine)

    task_prerun.connect(before_task, weak=False, dispatch_uid=f"tic-metrics-prerun-{id(app)}")
    task_postrun.connect(after_task, weak=False, dispatch_uid=f"tic-metrics-postrun-{id(app)}")


def init_app(app: Flask) -> None:
    """Time every request, listen to committed rows and to Celery tasks."""
    app.before_request(_start_timer)
    app.after_request(_observe_request)
    listen_to_sessions()
    if not app.config.get("TESTING"):
        _connect_celery_signals(app)
