"""Error pages: 400 (including CSRF), 403, 404, 410, 429, 500."""
from flask import Blueprint

bp = Blueprint("errors", __name__)

from . import handlers  # noqa: E402,F401
