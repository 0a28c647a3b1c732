"""Admin views of the curriculum: tracks, stages, exercises, and the sync."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ..auth.policy import role_required
from ..config import BASE_DIR
from ..curriculum.sync import latest_sync, sync_curricula
from ..enums import Role
from ..extensions import db
from ..models import Exercise, ExerciseVersion, Track
from .blueprint import bp
from .forms import ConfirmForm


@bp.route("/kurikulum")
@role_required(Role.ADMIN)
def curriculum():
    """Tracks with their stages and exercises, and the last sync's report."""
    tracks = db.session.scalars(select(Track).order_by(Track.retired, Track.title_id)).all()
    version_counts = dict(
        db.session.execute(
            select(ExerciseVersion.exercise_id, func.count()).group_by(ExerciseVersion.exercise_id)
        ).all()
    )
    exercise_count = db.session.scalar(select(func.count()).select_from(Exercise).where(~Exercise.retired))
    return render_template(
        "admin/curriculum.html",
        tracks=tracks,
        version_counts=version_counts,
        exercise_count=exercise_count,
        last_sync=latest_sync(),
        confirm=ConfirmForm(),
    )


@bp.route("/kurikulum/sinkron", methods=["POST"])
@role_required(Role.ADMIN)
def curriculum_sync():
    """Re-sync the curricula from the repository files and show the report."""
    if ConfirmForm().validate_on_submit():
        run = sync_curricula(BASE_DIR, actor=current_user)
        if run.ok:
            flash(_("Curriculum synced."), "success")
        else:
            flash(_("The curriculum has problems and was not synced. See the report below."), "danger")
    return redirect(url_for("admin.curriculum"))
