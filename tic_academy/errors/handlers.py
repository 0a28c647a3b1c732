"""Render errors as pages, or as JSON for the JSON endpoints."""
import errno
import logging
import subprocess

from flask import current_app, g, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException

from ..extensions import db
from ..services.repositories import RepositoryError
from .blueprint import bp

log = logging.getLogger(__name__)

#: Seconds a client is told to wait before trying again when the database is away (Retry-After).
RETRY_AFTER_S = 5


def wants_json() -> bool:
    """Did the caller ask for JSON (the workspace's fetch calls do)?"""
    return request.is_json or request.accept_mimetypes.best == "application/json"


def _titles():
    return {
        400: _("Bad request"),
        403: _("Access denied"),
        404: _("Page not found"),
        405: _("Method not allowed"),
        410: _("Link no longer valid"),
        413: _("Too large"),
        429: _("Too many requests"),
        500: _("Something went wrong"),
        507: _("Storage full"),
    }


def _explanations():
    return {
        400: _("The request could not be understood. Go back and try again."),
        403: _("You do not have permission to open this page."),
        404: _("The page you asked for does not exist."),
        405: _("This address does not accept that kind of request."),
        410: _("This link has expired or has already been used."),
        413: _too_large(),
        429: _("You are going too fast. Wait a moment and try again."),
        500: _("An error happened on our side. It has been logged; please try again later."),
    }


def _too_large() -> str:
    """Explain a 413: how much this address accepts, when we know it."""
    limit = request.max_content_length
    if not limit:
        return _("What you sent is larger than allowed.")
    return _("What you sent is larger than allowed (at most %(kb)d KB).", kb=max(1, limit // 1024))


def render_error(code: int, message: str | None = None):
    """One error response, as a page or as JSON."""
    title = _titles().get(code, _("Error"))
    message = message or _explanations().get(code, "")
    if wants_json():
        # "error" is what a page shows the user: the explanation when there is one.
        return jsonify(error=message or title, title=title, status=code), code
    return render_template("errors/error.html", code=code, title=title, message=message), code


@bp.app_errorhandler(CSRFError)
def csrf_error(error):
    """A form without a valid CSRF token: explain, never process it."""
    return render_error(400, _("The form has expired or is invalid. Reload the page and try again."))


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException):
    """Every HTTP error gets our page."""
    description = error.description if error.code in (400, 403, 409, 413) and _is_custom(error) else None
    return render_error(error.code or 500, description)


@bp.app_errorhandler(RecursionError)
def too_deep(error):
    """Data nested deeper than Python can follow (e.g. JSON of 200,000 brackets in a form field): 400, not 500."""
    db.session.rollback()
    log.warning("recursion limit reached on %s %s", request.method, request.path)
    return render_error(400, _("The data is nested too deeply to be read."))


@bp.app_errorhandler(OperationalError)
@bp.app_errorhandler(InterfaceError)
@bp.app_errorhandler(PoolTimeoutError)
def database_unavailable(error):
    """The database is away (restarting, unreachable, locked): 503 with a retry message, never a 500.

    Nothing half-written stays behind: the request's transaction is rolled back (or died with the
    connection). The page does not touch the database, not even to find the logged-in user.
    """
    # Flask-Login would load the user again (a query) for the language and the template: answer as
    # for a visitor instead. g._login_user is where Flask-Login keeps the request's user.
    g._login_user = current_app.login_manager.anonymous_user()
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection may be gone; the pool replaces it later
        log.debug("rollback after a database error failed", exc_info=True)
    log.warning("database unavailable on %s %s: %s", request.method, request.path, error.__class__.__name__)
    title = _("Temporarily unavailable")
    message = _("The database cannot be reached right now. Nothing was saved by this request; "
                "please try again in a few seconds.")
    if wants_json():
        response = make_response(jsonify(error=message, title=title, status=503, retry_after=RETRY_AFTER_S), 503)
    else:
        response = make_response(render_template("errors/unavailable.html", title=title, message=message), 503)
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


def _disk_full(error: Exception) -> bool:
    """Is this the disk (or quota) being full? git says so only in its message (run with LC_ALL=C)."""
    if getattr(error, "errno", None) in (errno.ENOSPC, errno.EDQUOT):
        return True
    stderr = getattr(error, "stderr", None) or b""  # a failed `git` run with check=True
    text = str(error) + (stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else str(stderr))
    return "No space left on device" in text


@bp.app_errorhandler(OSError)
@bp.app_errorhandler(RepositoryError)
@bp.app_errorhandler(subprocess.CalledProcessError)
def storage_error(error):
    """A full disk (e.g. the one holding trainee repositories): 507 with a clear message; anything else
    of these kinds stays a logged 500."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the database may be the one in trouble
        log.debug("rollback after a storage error failed", exc_info=True)
    if not _disk_full(error):
        log.error("unexpected error on %s %s", request.method, request.path, exc_info=error)
        return render_error(500)
    log.error("disk full on %s %s: %s", request.method, request.path, error)
    return render_error(507, _("The server's storage is full, so this could not be saved. Nothing was changed; "
                               "please try again later and tell the programme coordinator."))


@bp.app_errorhandler(500)
def server_error(error):
    """Unexpected errors: roll back and show a calm page."""
    db.session.rollback()
    return render_error(500)


def _is_custom(error: HTTPException) -> bool:
    # Werkzeug's default English descriptions are not shown; our own abort()
    # messages (already translated) are.
    return error.description != type(error).description
