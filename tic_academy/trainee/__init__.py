"""The trainee's (peserta) pages: home, curriculum, the exercise workspace and its JSON endpoints."""
from flask import Blueprint

bp = Blueprint("trainee", __name__)

from . import api, routes  # noqa: E402,F401
