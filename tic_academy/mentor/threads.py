"""Views both sides use: feedback on a submission, help requests, threads and notifications.

The trainee reaches these from their workspace and the bell; each view checks
that the object is theirs (or, for a mentor, their trainee's).
"""
import json

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.policy import role_required
from ..auth.routes import safe_next
from ..extensions import db
from ..models import Exercise, Submission
from ..services import ServiceError, notifications, review_queue, reviews
from ..services.enrollment import current_enrollment
from ..services.progress import is_exercise_open, track_progress
from ..services.settings import ServiceSettings
from .blueprint import bp
from .forms import HelpRequestForm, MessageForm
from .routes import _item_or_404, _submission_or_404

ALL_ROLES = ("trainee", "mentor", "opd_head", "admin")


def _safe_next(target: str | None, fallback: str) -> str:
    """A local path to go back to, never another site."""
    return safe_next(target) or fallback


# --- feedback on a submission ----------------------------------------------------------------


@bp.route("/umpan-balik/<int:submission_id>")
@role_required("trainee", "mentor", "admin")
def feedback(submission_id: int):
    """A submission's mentor feedback: comments beside the lines, decisions and the thread."""
    submission = _submission_or_404(submission_id, "discuss")
    return render_template(
        "mentor/feedback.html",
        submission=submission,
        cells=reviews.answer_cells(submission),
        decisions=reviews.reviews_of(submission),
        messages=reviews.thread(submission=submission),
        form=MessageForm(),
        render_markdown=reviews.render_markdown,
        exercise=submission.exercise,
    )


@bp.route("/umpan-balik/<int:submission_id>/pesan", methods=["POST"])
@role_required("trainee", "mentor", "admin")
def post_message(submission_id: int):
    """Write in a submission's thread."""
    submission = _submission_or_404(submission_id, "discuss")
    form = MessageForm()
    if form.validate_on_submit():
        try:
            reviews.post_message(current_user, form.body.data, submission=submission)
            flash(_("Message sent."), "success")
        except ServiceError as exc:
            flash(str(exc), "danger")
    else:
        flash(_("Write a message first."), "danger")
    back = "mentor.review" if current_user.role != "trainee" else "mentor.feedback"
    return redirect(url_for(back, submission_id=submission.id, _anchor="thread"))


# --- help requests ----------------------------------------------------------------------------


@bp.route("/bantuan", methods=["POST"])
@role_required("trainee")
def ask_help():
    """A trainee asks their mentor about an exercise; the draft goes along."""
    form = HelpRequestForm()
    fallback = url_for("trainee.home")
    if not form.validate_on_submit():
        flash(_("Write your question first."), "danger")
        return redirect(_safe_next(form.next.data, fallback))
    exercise = db.session.get(Exercise, form.exercise_id.data)
    if exercise is None or not _may_work_on(exercise):
        abort(403)
    try:
        answers = json.loads(form.answers.data) if form.answers.data else None
    except ValueError:
        answers = None
    try:
        item = review_queue.request_help(current_user, exercise, form.question.data, answers)
    except ServiceError as exc:
        flash(str(exc), "danger")
        return redirect(_safe_next(form.next.data, fallback))
    if item.mentor_id is None:
        flash(_("Your question was saved; a mentor will be assigned to you soon."), "warning")
    else:
        flash(_("Your question was sent to your mentor."), "success")
    return redirect(url_for("mentor.help_request", item_id=item.id))


def _may_work_on(exercise: Exercise) -> bool:
    """Is the exercise in an open stage of the trainee's current track?"""
    enrollment = current_enrollment(current_user.id)
    if enrollment is None:
        return False
    return is_exercise_open(track_progress(current_user.id, enrollment.cohort.track), exercise.id)


@bp.route("/bantuan/<int:item_id>")
@role_required("trainee", "mentor", "admin")
def help_request(item_id: int):
    """A help request: the question, the draft that came with it, and the thread."""
    item = _item_or_404(item_id, "view")
    if item.kind != "help":
        abort(404)
    latest = db.session.scalar(
        select(Submission).where(
            Submission.trainee_id == item.trainee_id, Submission.exercise_id == item.exercise_id,
            Submission.mode == "submit",
        ).order_by(Submission.id.desc()).limit(1)
    )
    clock = review_queue.QueueClock.of(ServiceSettings.from_config(current_app.config))
    return render_template(
        "mentor/help_request.html", item=item, latest=latest,
        messages=reviews.thread(help_item=item), form=MessageForm(),
        render_markdown=reviews.render_markdown,
        waited=clock.waited, is_overdue=clock.is_overdue,
    )


@bp.route("/bantuan/<int:item_id>/pesan", methods=["POST"])
@role_required("trainee", "mentor", "admin")
def help_reply(item_id: int):
    """Write in a help request's thread; a mentor may close the request with it."""
    item = _item_or_404(item_id, "discuss")
    if item.kind != "help":
        abort(404)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            reviews.post_message(current_user, form.body.data, help_item=item)
            if form.submit_close.data and current_user.role != "trainee":
                review_queue.resolve(item, current_user)
                db.session.commit()
            flash(_("Message sent."), "success")
        except ServiceError as exc:
            flash(str(exc), "danger")
    else:
        flash(_("Write a message first."), "danger")
    return redirect(url_for("mentor.help_request", item_id=item.id, _anchor="thread"))


# --- notifications ------------------------------------------------------------------------------


@bp.route("/notifikasi")
@role_required(*ALL_ROLES)
def notifications_page():
    """All of the user's recent notifications."""
    return render_template("mentor/notifications.html", notes=notifications.recent(current_user.id, limit=50))


@bp.route("/notifikasi/<int:notification_id>")
@role_required(*ALL_ROLES)
def notification_open(notification_id: int):
    """Mark a notification read and go where it points."""
    note = notifications.open_notification(current_user.id, notification_id)
    if note is None:
        abort(404)
    return redirect(_safe_next(note.link, url_for("mentor.notifications_page")))


@bp.route("/notifikasi/baca-semua", methods=["POST"])
@role_required(*ALL_ROLES)
def notifications_read_all():
    """Mark every notification read."""
    notifications.mark_all_read(current_user.id)
    return redirect(_safe_next(request.form.get("next"), url_for("mentor.notifications_page")))


@bp.app_context_processor
def mentoring_globals():
    """Helpers for the shared partials (the bell, line comments, the help button)."""
    return {
        "notification_bell": _notification_bell,
        "mentor_feedback_for": _mentor_feedback_for,
        "render_comment": reviews.render_markdown,
    }


def _notification_bell() -> dict:
    """The unread count and the newest notifications of the current user."""
    if not current_user.is_authenticated:
        return {"unread": 0, "notes": []}
    return {"unread": notifications.unread_count(current_user.id), "notes": notifications.recent(current_user.id)}


def _mentor_feedback_for(submission=None, exercise=None):
    """The submission with mentor feedback to show (this one, or the latest of the exercise) and its cells."""
    if submission is None and exercise is not None and current_user.is_authenticated:
        submission = reviews.latest_commented_submission(current_user.id, exercise.id)
    if submission is None or not current_user.is_authenticated or not submission.can(current_user, "view"):
        return None
    cells = [cell for cell in reviews.answer_cells(submission) if cell.comment_count]
    decisions = reviews.reviews_of(submission)
    if not cells and not decisions:
        return None
    return {"submission": submission, "cells": cells, "decisions": decisions}
