"""Request ids and structured logs: JSON lines with request id, user id and submission id (TIC_LOG_FORMAT=json)."""
from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
import uuid
from datetime import datetime, timezone

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler
from flask_login import current_user

log = logging.getLogger("tic_academy.requests")

#: An X-Request-ID sent by the proxy is kept when it looks like an id; anything else gets a new one.
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
#: The submission a background job is working on (set by the Celery signal handlers in metrics.py).
current_submission: contextvars.ContextVar[int | None] = contextvars.ContextVar("tic_submission", default=None)
#: Attribute of the handler we install, so configuring twice does not add a second one.
HANDLER_MARK = "_tic_json_handler"


def request_id() -> str | None:
    """This request's id, or None outside a request."""
    if not has_request_context():
        return None
    return g.get("request_id")


def _user_id():
    """The logged-in user's id if Flask-Login already loaded the user (never triggers a query)."""
    user = g.get("_login_user") if has_request_context() else None
    return getattr(user, "id", None) if user is not None else None


def _submission_id():
    """The submission being handled: a job's, or the one named in the request's URL."""
    job_submission = current_submission.get()
    if job_submission is not None:
        return job_submission
    if has_request_context() and request.view_args:
        return request.view_args.get("submission_id")
    return None


class ContextFilter(logging.Filter):
    """Adds request_id, user_id and submission_id to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Attach the ids (None when unknown); never drops a record."""
        record.request_id = getattr(record, "request_id", None) or request_id()
        record.user_id = getattr(record, "user_id", None) or _user_id()
        record.submission_id = getattr(record, "submission_id", None) or _submission_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, ids and any ``extra`` fields we set."""

    EXTRA_FIELDS = ("method", "path", "endpoint", "status", "duration_ms", "remote_addr")

    def format(self, record: logging.LogRecord) -> str:
        """Render the record as a JSON line."""
        data = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "user_id": getattr(record, "user_id", None),
            "submission_id": getattr(record, "submission_id", None),
        }
        for name in self.EXTRA_FIELDS:
            if hasattr(record, name):
                data[name] = getattr(record, name)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


def configure_logging(fmt: str, level: str = "INFO", stream=None) -> None:
    """Send the root logger's records to stderr as JSON lines (fmt "json"); "text" leaves logging alone."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, HANDLER_MARK, False):
            root.removeHandler(handler)
    if fmt != "json":
        return
    handler = logging.StreamHandler(stream or sys.stderr)
    setattr(handler, HANDLER_MARK, True)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    root.addHandler(handler)
    root.setLevel(level.upper())


def _start_request() -> None:
    """Take the proxy's request id when it is sane, else make one; start the request clock."""
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if REQUEST_ID_PATTERN.match(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish_request(response):
    """Return the request id to the client (X-Request-ID)."""
    response.headers["X-Request-ID"] = g.get("request_id", "")
    return response


def _access_line(response):
    """One log line per request, with its endpoint, status and duration."""
    started = g.get("request_started")
    duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
    log.info(
        "%s %s %s", request.method, request.path, response.status_code,
        extra={
            "method": request.method,
            "path": request.path,
            "endpoint": request.endpoint,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "remote_addr": request.remote_addr,
            # Loads the user when the view did not (one query, only for requests with a session).
            "user_id": current_user.get_id() and getattr(current_user, "id", None),
        },
    )
    return response


def init_app(app: Flask) -> None:
    """Give every request an id (X-Request-ID); in JSON mode, log as JSON lines with an access line each."""
    # First of all before-request hooks, so a request refused early (CSRF, limits) has its id too.
    app.before_request_funcs.setdefault(None, []).insert(0, _start_request)
    app.after_request(_finish_request)
    if app.config.get("LOG_FORMAT") == "json":
        configure_logging("json", app.config.get("LOG_LEVEL", "INFO"))
        app.logger.removeHandler(default_handler)  # the root's JSON handler writes the app's records
        app.after_request(_access_line)
