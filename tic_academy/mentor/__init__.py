"""The mentor's pages."""
from flask import Blueprint

bp = Blueprint("mentor", __name__)

from . import routes  # noqa: E402,F401
