"""Mentor views of answer shapes: the other answers of the same shape, and feedback saved for a shape."""
from __future__ import annotations

from typing import Optional

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.policy import role_required
from ..enums import Role
from ..extensions import db
from ..models import ShapeFeedback, Submission
from ..services import ServiceError, shapes
from ..web import submission_or_404
from .blueprint import bp
from .forms import ShapeFeedbackForm


def review_panel(submission: Submission) -> Optional[dict]:
    """What the review page shows about the submission's shape (None for a project, or before it is graded).

    ``?pakai=<id>`` (the "Pakai umpan balik ini" link without JavaScript) puts that saved feedback into the
    review's summary box, to be changed and sent by the mentor; nothing is sent by opening the link.
    """
    if submission.exercise.is_project or not shapes.gets_shape(submission):
        return None
    feedback = shapes.feedback_for(submission)
    chosen = request.args.get("pakai", type=int)
    prefill = next((item.body for item in feedback if item.id == chosen), "")
    return {
        "shape": submission.shape,
        "group": shapes.shape_group(submission, current_user),
        "feedback": feedback,
        "prefill": prefill,
        "form": ShapeFeedbackForm(),
    }


@bp.route("/pengumpulan/<int:submission_id>/bentuk-sama")
@role_required(Role.MENTOR, Role.ADMIN)
def same_shape(submission_id: int):
    """The other answers of this submission's shape: those the mentor may open, and how many others there are."""
    submission = submission_or_404(submission_id, "review")
    return render_template("mentor/same_shape.html", submission=submission,
                           group=shapes.shape_group(submission, current_user))


@bp.route("/pengumpulan/<int:submission_id>/umpan-balik-bentuk", methods=["POST"])
@role_required(Role.MENTOR, Role.ADMIN)
def save_shape_feedback(submission_id: int):
    """Save the mentor's comment for every answer of this submission's shape."""
    submission = submission_or_404(submission_id, "review")
    form = ShapeFeedbackForm()
    if form.validate_on_submit():
        try:
            shapes.save_feedback(submission, current_user, form.body.data)
            flash(_("Saved. It will be offered when you review another answer of this shape."), "success")
        except ServiceError as exc:
            flash(str(exc), "danger")
    else:
        flash(_("Write the feedback first (at most 5000 characters)."), "danger")
    return redirect(url_for("mentor.review", submission_id=submission.id, _anchor="answer-shape"))


def _feedback_and_submission(feedback_id: int) -> tuple[ShapeFeedback, Submission]:
    """The saved feedback and the submission whose review page the mentor came from (which they may review)."""
    feedback = db.get_or_404(ShapeFeedback, feedback_id)
    submission = submission_or_404(request.form.get("submission_id", type=int) or 0, "review")
    return feedback, submission


@bp.route("/umpan-balik-bentuk/<int:feedback_id>/ubah", methods=["POST"])
@role_required(Role.MENTOR, Role.ADMIN)
def edit_shape_feedback(feedback_id: int):
    """Change a saved comment (its author or an admin)."""
    feedback, submission = _feedback_and_submission(feedback_id)
    form = ShapeFeedbackForm()
    if form.validate_on_submit():
        try:
            shapes.update_feedback(feedback, current_user, form.body.data)
            flash(_("The feedback for this shape was changed."), "success")
        except ServiceError as exc:
            flash(str(exc), "danger")
    else:
        flash(_("Write the feedback first (at most 5000 characters)."), "danger")
    return redirect(url_for("mentor.review", submission_id=submission.id, _anchor="answer-shape"))


@bp.route("/umpan-balik-bentuk/<int:feedback_id>/hapus", methods=["POST"])
@role_required(Role.MENTOR, Role.ADMIN)
def delete_shape_feedback(feedback_id: int):
    """Delete a saved comment (its author or an admin)."""
    feedback, submission = _feedback_and_submission(feedback_id)
    try:
        shapes.delete_feedback(feedback, current_user)
        flash(_("The feedback for this shape was deleted."), "info")
    except ServiceError as exc:
        flash(str(exc), "danger")
    return redirect(url_for("mentor.review", submission_id=submission.id, _anchor="answer-shape"))
