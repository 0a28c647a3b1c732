"""The OPD head's pages."""
from flask import Blueprint

bp = Blueprint("opd", __name__)

from . import routes  # noqa: E402,F401
