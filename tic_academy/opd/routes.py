"""OPD head views."""
from flask import render_template
from flask_login import current_user
from sqlalchemy import func, select

from ..auth.policy import role_required
from ..extensions import db
from ..models import User
from . import bp


@bp.route("/")
@role_required("opd_head")
def home():
    """The OPD head's home page: their OPD and its trainees."""
    trainees = db.session.scalars(
        select(User)
        .where(User.opd_id == current_user.opd_id, User.role == "trainee")
        .order_by(func.lower(User.full_name))
    ).all()
    return render_template("opd/home.html", trainees=trainees)
