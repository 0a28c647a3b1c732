"""The mentor's pages, and the feedback, help and notification pages both sides use."""
from flask import Blueprint

bp = Blueprint("mentor", __name__)

from . import routes, threads  # noqa: E402,F401
