"""The trainee's (peserta) pages."""
from flask import Blueprint

bp = Blueprint("trainee", __name__)

from . import routes  # noqa: E402,F401
