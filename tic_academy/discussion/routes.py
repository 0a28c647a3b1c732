"""Views every role shares: feedback on a submission, help requests, threads and notifications.

The trainee reaches these from their workspace and the bell; each view checks
that the object is theirs (or, for a mentor, their trainee's).
"""
import json

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.policy import role_required
from ..enums import ItemKind, Role, SubmissionMode
from ..extensions import db
from ..models import Exercise, Submission
from ..services import ServiceError, exercise_access, notifications, project_review, review_queue, reviews
from ..services.notebook_html import render_markdown
from ..services.settings import ServiceSettings
from ..web import review_item_or_404, safe_next_or, submission_or_404
from .blueprint import bp
from .forms import HelpRequestForm, MessageForm

ALL_ROLES = tuple(Role)


# --- feedback on a submission ----------------------------------------------------------------


@bp.route("/umpan-balik/<int:submission_id>")
@role_required(Role.TRAINEE, Role.MENTOR, Role.ADMIN)
def feedback(submission_id: int):
    """A submission's mentor feedback: comments beside the lines, decisions and the thread."""
    submission = submission_or_404(submission_id, "discuss")
    return render_template(
        "discussion/feedback.html",
        submission=submission,
        cells=reviews.answer_cells(submission),
        decisions=reviews.reviews_of(submission),
        messages=reviews.thread(submission=submission),
        form=MessageForm(),
        exercise=submission.exercise,
        project_comments=project_review.commented_files(submission) if submission.exercise.is_project else [],
    )


@bp.route("/umpan-balik/<int:submission_id>/pesan", methods=["POST"])
@role_required(Role.TRAINEE, Role.MENTOR, Role.ADMIN)
def post_message(submission_id: int):
    """Write in a submission's thread."""
    submission = submission_or_404(submission_id, "discuss")
    form = MessageForm()
    if form.validate_on_submit():
        try:
            reviews.post_message(current_user, form.body.data, submission=submission)
            flash(_("Message sent."), "success")
        except ServiceError as exc:
            flash(str(exc), "danger")
    else:
        flash(_("Write a message first."), "danger")
    back = "mentor.review" if current_user.role != Role.TRAINEE else "discussion.feedback"
    return redirect(url_for(back, submission_id=submission.id, _anchor="thread"))


# --- help requests ----------------------------------------------------------------------------


@bp.route("/bantuan", methods=["POST"])
@role_required(Role.TRAINEE)
def ask_help():
    """A trainee asks their mentor about an exercise; the draft goes along."""
    form = HelpRequestForm()
    fallback = url_for("trainee.home")
    if not form.validate_on_submit():
        flash(_("Write your question first."), "danger")
        return redirect(safe_next_or(form.next.data, fallback))
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
        return redirect(safe_next_or(form.next.data, fallback))
    if item.mentor_id is None:
        flash(_("Your question was saved; a mentor will be assigned to you soon."), "warning")
    else:
        flash(_("Your question was sent to your mentor."), "success")
    return redirect(url_for("discussion.help_request", item_id=item.id))


def _may_work_on(exercise: Exercise) -> bool:
    """May the trainee open this exercise in the workspace (the workspace's own rule)?"""
    try:
        opened = exercise_access.open_exercise(current_user.id, exercise.slug)
    except ServiceError:
        return False
    return opened.exercise.id == exercise.id


@bp.route("/bantuan/<int:item_id>")
@role_required(Role.TRAINEE, Role.MENTOR, Role.ADMIN)
def help_request(item_id: int):
    """A help request: the question, the draft that came with it, and the thread."""
    item = review_item_or_404(item_id, "view")
    if item.kind != ItemKind.HELP:
        abort(404)
    latest = db.session.scalar(
        select(Submission).where(
            Submission.trainee_id == item.trainee_id, Submission.exercise_id == item.exercise_id,
            Submission.mode == SubmissionMode.SUBMIT,
        ).order_by(Submission.id.desc()).limit(1)
    )
    clock = review_queue.QueueClock.of(ServiceSettings.from_config(current_app.config))
    return render_template(
        "discussion/help_request.html", item=item, latest=latest,
        messages=reviews.thread(help_item=item), form=MessageForm(),
        waited=clock.waited, is_overdue=clock.is_overdue,
    )


@bp.route("/bantuan/<int:item_id>/pesan", methods=["POST"])
@role_required(Role.TRAINEE, Role.MENTOR, Role.ADMIN)
def help_reply(item_id: int):
    """Write in a help request's thread; a mentor may close the request with it."""
    item = review_item_or_404(item_id, "discuss")
    if item.kind != ItemKind.HELP:
        abort(404)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            reviews.post_message(current_user, form.body.data, help_item=item)
            if form.submit_close.data and current_user.role != Role.TRAINEE:
                review_queue.close_help_request(item, current_user)
            flash(_("Message sent."), "success")
        except ServiceError as exc:
            flash(str(exc), "danger")
    else:
        flash(_("Write a message first."), "danger")
    return redirect(url_for("discussion.help_request", item_id=item.id, _anchor="thread"))


# --- notifications ------------------------------------------------------------------------------


@bp.route("/notifikasi")
@role_required(*ALL_ROLES)
def notifications_page():
    """All of the user's recent notifications."""
    return render_template("discussion/notifications.html",
                           notes=notifications.recent(current_user.id, limit=50))


@bp.route("/notifikasi/<int:notification_id>")
@role_required(*ALL_ROLES)
def notification_open(notification_id: int):
    """Mark a notification read and go where it points."""
    note = notifications.open_notification(current_user.id, notification_id)
    if note is None:
        abort(404)
    return redirect(safe_next_or(note.link, url_for("discussion.notifications_page")))


@bp.route("/notifikasi/baca-semua", methods=["POST"])
@role_required(*ALL_ROLES)
def notifications_read_all():
    """Mark every notification read."""
    notifications.mark_all_read(current_user.id)
    return redirect(safe_next_or(request.form.get("next"), url_for("discussion.notifications_page")))


@bp.app_context_processor
def discussion_globals():
    """Helpers for the shared partials (the bell, line comments, the help button)."""
    return {
        "notification_bell": _notification_bell,
        "mentor_feedback_for": _mentor_feedback_for,
        "render_comment": render_markdown,
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
