"""The program admin's pages: OPDs, users, outbox, audit log."""
from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import curriculum, mentoring, program, routes  # noqa: E402,F401
