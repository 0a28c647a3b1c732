"""Mentor views."""
from flask import render_template

from ..auth.policy import role_required
from . import bp


@bp.route("/")
@role_required("mentor")
def home():
    """The mentor's home page."""
    return render_template("mentor/home.html")
