"""Trainee views."""
from flask import render_template

from ..auth.policy import role_required
from . import bp


@bp.route("/")
@role_required("trainee")
def home():
    """The trainee's home page."""
    return render_template("trainee/home.html")
