"""The program admin's pages: OPDs, users, outbox, audit log."""
from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import curriculum, routes  # noqa: E402,F401
