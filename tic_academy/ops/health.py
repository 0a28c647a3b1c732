"""/healthz (the process answers), /readyz (it can do its work) and /metrics (allowed networks only).

None of them needs a log-in, a CSRF token or counts against a rate limit; they are for the proxy,
systemd and the monitoring system, and answer JSON (health) or the Prometheus text format (metrics).
"""
from __future__ import annotations

import dataclasses
import threading
import time

import redis
from flask import Blueprint, Response, abort, current_app, jsonify, request
from sqlalchemy import func, select, text

from ..extensions import csrf, db, limiter
from ..grading import GradingEngine, GradingSettings
from ..models import Submission
from ..clock import now_utc
from . import metrics
from .proxy import address_in, parse_networks
from ..enums import SubmissionStatus

bp = Blueprint("ops", __name__)
csrf.exempt(bp)

#: Starting a kernel takes about a second: its result is reused for this many seconds.
KERNEL_CHECK_TTL_S = 30
#: Seconds a Redis ping may take.
REDIS_TIMEOUT_S = 2

_kernel_check: dict = {"at": None, "error": None}
_kernel_lock = threading.Lock()


def check_database() -> str | None:
    """None when the database answers a query, else why not."""
    try:
        db.session.execute(text("SELECT 1"))
        return None
    except Exception as error:  # noqa: BLE001 - any failure makes the app not ready
        db.session.rollback()
        return f"{type(error).__name__}: {error}"


def redis_checks(config) -> dict[str, str]:
    """The Redis servers this configuration depends on, by check name: the Celery broker, the rate-limit storage."""
    found = {}
    if config.get("RUNNER") == "celery":
        found["redis"] = config["REDIS_URL"]
    storage = config.get("RATELIMIT_STORAGE_URI") or ""
    if storage.startswith(("redis://", "rediss://")):
        found["ratelimit_storage"] = storage
    return found


def check_redis(url: str) -> str | None:
    """None when Redis at ``url`` answers PING, else why not."""
    try:
        client = redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT_S, socket_connect_timeout=REDIS_TIMEOUT_S)
        try:
            client.ping()
        finally:
            client.close()
        return None
    except Exception as error:  # noqa: BLE001
        return f"{type(error).__name__}: {error}"


def check_kernel(config) -> str | None:
    """None when a sandboxed kernel starts and runs code; cached for KERNEL_CHECK_TTL_S seconds."""
    with _kernel_lock:
        now = time.monotonic()
        if _kernel_check["at"] is not None and now - _kernel_check["at"] < KERNEL_CHECK_TTL_S:
            return _kernel_check["error"]
        settings = dataclasses.replace(GradingSettings.from_config(config), pool_size=0)
        engine = GradingEngine(settings)
        try:
            error = engine.self_check()
        finally:
            engine.close()
        _kernel_check.update(at=time.monotonic(), error=error)
        return error


def check_queue(max_age_s: int) -> str | None:
    """None when no submission has waited in the queue longer than ``max_age_s`` seconds."""
    oldest = db.session.scalar(select(func.min(Submission.created_at)).where(Submission.status == SubmissionStatus.QUEUED))
    if oldest is None:
        return None
    age = (now_utc() - oldest).total_seconds()
    if age > max_age_s:
        return f"the oldest queued submission has waited {age:.0f} s (limit {max_age_s} s)"
    return None


@bp.route("/healthz")
@limiter.exempt
def healthz():
    """Liveness: the process answers (no database, no other service)."""
    return jsonify(status="ok")


@bp.route("/readyz")
@limiter.exempt
def readyz():
    """Readiness: database, Redis when configured, a sandboxed kernel, a queue that moves; 200 or 503."""
    config = current_app.config
    checks: dict[str, str | None] = {"database": check_database()}
    for name, url in redis_checks(config).items():
        checks[name] = check_redis(url)
    if config.get("READY_KERNEL_CHECK", True):
        checks["sandbox"] = check_kernel(config)
    if checks["database"] is None:
        checks["queue"] = check_queue(config["READY_QUEUE_MAX_AGE"])
    else:
        checks["queue"] = "not checked: no database"
    ready = all(error is None for error in checks.values())
    body = {
        "status": "ok" if ready else "fail",
        "checks": {name: ({"status": "ok"} if error is None else {"status": "fail", "error": error})
                   for name, error in checks.items()},
    }
    response = jsonify(body)
    response.status_code = 200 if ready else 503
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/metrics")
@limiter.exempt
def metrics_page():
    """Prometheus metrics, for TIC_METRICS_ALLOW networks only (404 for everyone else)."""
    if not address_in(request.remote_addr, parse_networks(current_app.config["METRICS_ALLOW"])):
        abort(404)
    body, content_type = metrics.render(current_app)
    return Response(body, content_type=content_type)
