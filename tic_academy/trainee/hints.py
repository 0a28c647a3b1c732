"""Hints on request: revealing a task's next hint from the workspace or the project page.

One endpoint for both pages. A plain form POST (CSRF field) redirects back to the task; the workspace's
script sends the same form with fetch and puts the returned block in place.
"""
from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.policy import role_required
from ..enums import Role
from ..services import ServiceError, hints
from ..services.notebook_html import render_markdown
from .access import exercise_or_abort
from .blueprint import bp


@bp.app_template_global("hint_html")
def hint_html(hint: dict, locale: str):
    """A hint's text in the page's language (English only when the author wrote it), as safe HTML."""
    return render_markdown(hint["text_en"] if locale == "en" and hint.get("text_en") else hint["text"])


@bp.app_template_global("hint_usage_text")
def hint_usage_text(submission) -> str:
    """ "Hints used: 2 of 3 (−0.4 points)" for a graded submission; empty when its exercise has no hints."""
    return hints.usage_text((submission.feedback or {}).get("hints"))


@bp.app_template_global("submission_hints")
def submission_hints(submission) -> list:
    """Each task's hints as they stood when the submission was made (the mentor's review page)."""
    return hints.states_at_submission(submission)


@bp.route("/latihan/<slug>/petunjuk", methods=["POST"])
@role_required(Role.TRAINEE)
def reveal_hint(slug: str):
    """Reveal the next hint of one task; a hint that costs points needs the trainee's confirmation."""
    opened = exercise_or_abort(slug, project_ok=True)
    task_hints = opened.notebook.task_hints
    task_key = request.form.get("task", "")
    number = request.form.get("number", type=int)
    wants_json = request.accept_mimetypes.best == "application/json"
    state = hints.hint_states(current_user.id, opened.exercise.id, task_hints).get(task_key)
    error = None
    if state is not None and state.task.cost and number == state.next_number and not request.form.get("confirm"):
        error = _("Tick the box to confirm that this hint takes points off this task.")
    else:
        try:
            state = hints.reveal_hint(current_user.id, opened.exercise, task_hints, task_key, number)
        except ServiceError as problem:
            error = str(problem)
    if wants_json:
        if error:
            return jsonify(error=error), 400
        return jsonify(html=render_template("trainee/_hints.html", state=state, slug=slug))
    if error:
        flash(error, "danger")
    return redirect(url_for("trainee.exercise", slug=slug, _anchor=f"petunjuk-{task_key}"))
