"""Trainee pages: home, curriculum, the exercise workspace, downloads and submissions."""
from flask import Response, abort, jsonify, redirect, render_template, request, url_for
from flask_babel import format_date, gettext as _, pgettext
from flask_login import current_user

from ..auth.policy import role_required
from ..clock import today_wib
from ..enums import Role
from ..grading import Limits
from ..services import drafts, exercise_access, hints, mentor_feedback, notebook_files, project_review, trainee_submissions
from ..services.progress import current_stage, next_exercise, pace
from ..services.test_display import message_text, shown_test
from ..services.workspace_page import workspace_cells
from .blueprint import bp
from .access import exercise_or_abort, submission_or_abort
from .projects import project_page


@bp.app_template_filter("exercise_status")
def exercise_status_filter(row, revision_ids=frozenset()) -> str:
    """The display status of an ExerciseProgress row ("needs revision" while a mentor asks for changes)."""
    return mentor_feedback.shown_status(row, revision_ids)


@bp.app_template_global("shown_test")
def shown_test_global(test) -> dict:
    """A test result with its task title and message in the reader's language (trainee and mentor pages)."""
    return shown_test(test)


@bp.app_template_global("message_text")
def message_text_global(message) -> str:
    """A grading message (code and parameters) in the reader's language (trainee and mentor pages)."""
    return message_text(message)


@bp.route("/")
@role_required(Role.TRAINEE)
def home():
    """The trainee's home page: where they are, how they are doing, what to do next."""
    try:
        enrollment, stages = exercise_access.trainee_progress(current_user.id)
    except exercise_access.NotEnrolled:
        return render_template("trainee/home.html", enrollment=None)
    today = today_wib()
    decisions = mentor_feedback.latest_decisions(current_user.id)
    revision_ids = mentor_feedback.revision_requested(current_user.id)
    return render_template(
        "trainee/home.html",
        enrollment=enrollment,
        stages=stages,
        current=current_stage(stages),
        # What a mentor asked to revise comes first; then the first exercise not passed yet.
        next_row=mentor_feedback.first_to_revise(stages, revision_ids) or next_exercise(stages),
        plan=exercise_access.week_plan(enrollment.cohort, stages, today),
        pace=pace(enrollment.cohort, stages, today),
        not_started_yet=today < enrollment.cohort.start_date,
        starts_on=format_date(enrollment.cohort.start_date, "d MMM yyyy"),
        decisions=decisions,
        comment_counts=mentor_feedback.comment_counts([review.submission_id for review in decisions]),
        revision_ids=revision_ids,
    )


@bp.route("/kurikulum")
@role_required(Role.TRAINEE)
def curriculum():
    """Every stage with its state, and every exercise with its status and best score."""
    try:
        enrollment, stages = exercise_access.trainee_progress(current_user.id)
    except exercise_access.NotEnrolled:
        return render_template("trainee/home.html", enrollment=None)
    return render_template("trainee/curriculum.html", enrollment=enrollment, stages=stages,
                           revision_ids=mentor_feedback.revision_requested(current_user.id))


@bp.route("/pertanyaan")
@role_required(Role.TRAINEE)
def questions():
    """The trainee's questions to their mentor ("Ask my mentor"), newest first, with their state."""
    return render_template("trainee/questions.html", questions=mentor_feedback.help_requests_of(current_user.id))


@bp.route("/latihan/<slug>/berikutnya")
@role_required(Role.TRAINEE)
def next_after(slug: str):
    """Go to the next open exercise after this one (computed now: a pass may just have opened a stage)."""
    opened = exercise_or_abort(slug, project_ok=True)
    following = mentor_feedback.next_open_exercise(opened.stages, opened.exercise.id)
    if following is None:
        return redirect(url_for("trainee.curriculum"))
    return redirect(url_for("trainee.exercise", slug=following.exercise.slug))


@bp.route("/latihan/<slug>")
@role_required(Role.TRAINEE)
def exercise(slug: str):
    """The workspace: the notebook cell by cell, answer cells editable (a project has its own page)."""
    opened = exercise_or_abort(slug, project_ok=True)
    if opened.exercise.is_project:
        return project_page(opened)
    notebook = opened.notebook
    starters = notebook.starters
    draft = drafts.get_draft(current_user.id, opened.exercise.id)
    answers = drafts.draft_answers(draft, starters)
    submissions = trainee_submissions.submissions_of(current_user.id, opened.exercise.id)
    return render_template(
        "trainee/workspace.html",
        opened=opened,
        exercise=opened.exercise,
        cells=workspace_cells(notebook, answers),
        submissions=submissions,
        latest=submissions[0] if submissions else None,
        revision_ids=mentor_feedback.revision_requested(current_user.id),
        page_data=_page_data(opened.exercise, starters, answers, draft),
        hint_states=hints.hint_states(current_user.id, opened.exercise.id, notebook.task_hints),
    )


def _page_data(exercise, starters, answers, draft) -> dict:
    """What workspace.js needs: answers, starter code, the draft revision and the endpoints."""
    slug = exercise.slug
    return {
        "answers": answers,
        "starters": starters,
        "revision": draft.revision if draft else 0,
        "storageKey": f"tic-draft-{current_user.id}-{exercise.id}",
        "uploadCap": notebook_files.UPLOAD_CAP,
        # The server stops trainee code itself after this many seconds (the exercise's limits).
        "runLimitS": int(Limits().merged(exercise.limits or None).total_timeout_s),
        "messages": _messages(),
        "urls": {
            "draft": url_for("trainee.api_draft", slug=slug),
            "save": url_for("trainee.api_save_draft", slug=slug),
            "run": url_for("trainee.api_run", slug=slug),
            "check": url_for("trainee.api_check", slug=slug),
            "submit": url_for("trainee.api_submit", slug=slug),
            "upload": url_for("trainee.api_upload", slug=slug),
            "history": url_for("trainee.exercise_history", slug=slug, partial=1),
        },
    }


def _messages() -> dict:
    """The workspace's translated texts for workspace.js."""
    return {
        "status_saved": _("All changes saved"),
        "status_unsaved": _("Unsaved changes…"),
        "status_saving": _("Saving…"),
        "status_offline": _("Offline: changes are kept in this browser and saved when you are back online"),
        "status_conflict": _("Not saved: changed elsewhere"),
        "status_error": _("Not saved"),
        "save_failed": _("Your answers could not be saved."),
        "kept_locally": _("Your answers are still here and kept in this browser; shorten them and they are saved again."),
        "conflict_choose": _("Choose which version to keep."),
        "conflict_load": _("Load the newer version"),
        "conflict_keep": _("Keep my version"),
        "loaded_newer": _("Newer answers saved in another tab were loaded."),
        "restored_backup": _("Changes that had not reached the server yet were restored from this browser."),
        "close": _("Close"),
        "running": _("Running your code…"),
        "checking": _("Running the tests…"),
        "submitting": _("Submitting…"),
        "ran_all": _("The notebook ran. Outputs are shown under each cell."),
        "ran_to": _("The notebook ran up to the chosen cell. Outputs are shown under each cell."),
        "check_title": _("Check"),
        "check_hint": _("Submit to be graded with the hidden tests as well."),
        "public_tests": _("Visible tests"),
        "submit_title": _("Submission"),
        "total": _("Score"),
        "points_of": _("%(points)s of %(max)s points"),
        "sub_queued": _("Queued"),
        "sub_running": _("Running"),
        "sub_graded": _("Graded"),
        "sub_failed": _("Failed"),
        "still_waiting": _("Grading is taking longer than usual. The result will appear in your submissions."),
        "open_submission": _("Open this submission"),
        "test_passed": pgettext("test", "Passed"),
        "test_failed": _("Failed"),
        "test_error": _("Error"),
        "test_timeout": _("Timed out"),
        "test_not_run": _("Not run"),
        "server_error": _("Something went wrong on our side. Please try again."),
        "network_error": _("Could not reach the server. Check your connection and try again."),
        "reset_confirm": _("Reset this cell to the starter code? Your code in this cell will be lost."),
        "upload_confirm": _("Replace your answers with the answer cells of this file?"),
        "upload_too_large": _("The file is too large (at most %(num)d KB).", num=notebook_files.UPLOAD_CAP // 1024),
        "upload_failed": _("The file could not be uploaded."),
        "upload_done": _("Answers taken from the file and saved."),
        "elapsed": _("%(seconds)s s"),
        "stop": _("Stop waiting"),
        "stopped": _("Stopped waiting. The server ends this run by itself within %(seconds)s seconds (its time "
                     "limit); your answers are unchanged. If your code loops forever, fix the loop and run again."),
        "next_exercise": _("Next exercise: %(title)s"),
        "go_next": _("Go on to the next exercise"),
        "all_done": _("You have passed this exercise. See what is next in the curriculum."),
        "curriculum_url": url_for("trainee.curriculum"),
        "status_not_started": _("Not started"),
        "status_in_progress": _("In progress"),
        "status_needs_revision": _("Needs revision"),
        "status_passed": pgettext("exercise", "Passed"),
        "best_score": _("best score: %(score)s"),
    }


@bp.route("/latihan/<slug>/unduh")
@role_required(Role.TRAINEE)
def download(slug: str):
    """The trainee version of the notebook with the trainee's saved answers, as .ipynb."""
    opened = exercise_or_abort(slug)  # a project downloads as a ZIP of its latest commit instead
    notebook = opened.notebook
    answers = drafts.draft_answers(drafts.get_draft(current_user.id, opened.exercise.id), notebook.starters)
    text = notebook_files.download_text(notebook, answers)
    return Response(
        text,
        mimetype="application/x-ipynb+json",
        headers={"Content-Disposition": f'attachment; filename="{slug}.ipynb"'},
    )


@bp.route("/latihan/<slug>/riwayat")
@role_required(Role.TRAINEE)
def exercise_history(slug: str):
    """The trainee's submissions of one exercise, each with its per-test results."""
    opened = exercise_or_abort(slug, project_ok=True)
    submissions = trainee_submissions.submissions_of(current_user.id, opened.exercise.id)
    if request.args.get("partial"):
        return render_template("trainee/_history.html", submissions=submissions, exercise=opened.exercise)
    return render_template("trainee/history.html", opened=opened, exercise=opened.exercise, submissions=submissions)


@bp.route("/pengumpulan/<int:submission_id>")
@role_required(Role.TRAINEE)
def submission(submission_id: int):
    """One submission: score, per-test results and the answers as handed in."""
    item = submission_or_abort(submission_id)
    return render_template(
        "trainee/submission.html",
        submission=item,
        exercise=item.exercise,
        data=trainee_submissions.submission_data(item),
        answer_cells=[] if item.exercise.is_project else trainee_submissions.submitted_cells(item),
        project_comments=project_review.commented_files(item) if item.exercise.is_project else [],
    )


@bp.route("/pengumpulan/<int:submission_id>/komentar-berkas")
@role_required(Role.TRAINEE)
def submission_file_comments(submission_id: int):
    """JSON: the mentor comments on one file (``?path=``) of a project submission, placed on its lines.

    Comments made on earlier submissions follow their line when its text still exists; the others are
    under "earlier". The browser editor uses this (or project_review.comments_for_file for a working copy).
    """
    item = submission_or_abort(submission_id)
    path = request.args.get("path", "")
    text = project_review.submission_texts(item).get(path) if item.exercise.is_project else None
    if text is None:
        abort(404)
    placed = project_review.comments_for_file(item.trainee_id, item.exercise_id, path, text,
                                              upto_submission_id=item.id)
    return jsonify({"submission_id": item.id, "commit": item.commit_sha, "path": path, **placed.as_json()})
