"""JSON endpoints of the workspace: drafts, run, check, submit, upload, submission status.

Every POST is CSRF-protected (Flask-WTF reads the ``X-CSRFToken`` header) and
every endpoint first checks that the exercise is in an open stage of the
current trainee. Trainee code never runs here: run and check go to the
runner's ``grade_now``, submissions to its queue.
"""
import logging
import time

from flask import current_app, jsonify, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user

from ..auth.policy import role_required
from ..enums import ExerciseStatus, Role, SubmissionStatus
from ..extensions import limiter
from ..grading import KernelStartError, NotebookFormatError, SandboxUnavailable
from ..jobs.runners import get_runner
from ..security import body_limit
from ..services import (
    ServiceError, drafts, exercise_access, mentor_feedback, notebook_files, trainee_submissions, warnings,
)
from ..services.notebook_html import render_result_cells
from ..services.submissions import create_submission, grading_job
from ..services.test_display import message_text, shown_test
from .blueprint import bp
from .access import exercise_or_abort, submission_or_abort

log = logging.getLogger(__name__)


def _per_trainee() -> str:
    """Rate limits count per trainee, not per address (an office shares one address)."""
    return f"trainee:{current_user.id}"


def _limit(name: str, default: str):
    """A rate limit read from the config at request time, e.g. WORKSPACE_RUN_LIMIT."""
    return lambda: current_app.config.get(name, default)


def _error(status: int, message: str, **extra):
    """A JSON error the page shows to the trainee as is."""
    return jsonify(error=message, **extra), status


@bp.errorhandler(429)
def too_many_requests(error):
    """A friendly answer when run/check/submit are used too often."""
    seconds = 60
    try:
        current = limiter.current_limit
        if current is not None:
            seconds = max(1, int(current.reset_at - time.time()))
    except Exception:  # the limiter's bookkeeping is optional here
        pass
    message = _("Easy does it: you have done this many times in a short while. Try again in %(seconds)d seconds.",
                seconds=seconds)
    response, status = _error(429, message, retry_after=seconds)
    response.headers["Retry-After"] = str(seconds)
    return response, status


def _json_body() -> dict:
    """The request's JSON object (empty when there is none)."""
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


def _answers_from_body(opened, body: dict):
    """The answers of the request, limited to the exercise's answer cells; ServiceError when malformed."""
    if "answers" not in body:
        raise ServiceError(_("The answers are missing."))
    return drafts.clean_answers(body["answers"], opened.notebook.starters)


# --- drafts -----------------------------------------------------------------


def _draft_json(draft, starters) -> dict:
    return {
        "answers": drafts.draft_answers(draft, starters),
        "revision": draft.revision if draft else 0,
        "updated_at": draft.updated_at.isoformat() if draft and draft.updated_at else None,
    }


@bp.route("/api/latihan/<slug>/draf", methods=["GET"])
@role_required(Role.TRAINEE)
def api_draft(slug: str):
    """The trainee's latest draft of the exercise."""
    opened = exercise_or_abort(slug)
    return jsonify(_draft_json(drafts.get_draft(current_user.id, opened.exercise.id), opened.notebook.starters))


@bp.route("/api/latihan/<slug>/draf", methods=["POST"])
@body_limit("WORKSPACE_JSON_MAX_LENGTH")
@role_required(Role.TRAINEE)
def api_save_draft(slug: str):
    """Autosave: store the answers if nobody saved since ``revision``; 409 with the newer draft otherwise."""
    opened = exercise_or_abort(slug)
    body = _json_body()
    revision = body.get("revision")
    if not isinstance(revision, int) or isinstance(revision, bool) or revision < 0:
        return _error(400, _("The draft revision is missing."))
    try:
        answers = _answers_from_body(opened, body)
        draft = drafts.save_draft(current_user.id, opened.exercise.id, answers, revision)
    except drafts.DraftConflict as conflict:
        return _error(409, str(conflict), draft=_draft_json(conflict.draft, opened.notebook.starters))
    except ServiceError as error:
        return _error(400, str(error))
    return jsonify(revision=draft.revision, updated_at=draft.updated_at.isoformat())


@bp.route("/api/latihan/<slug>/unggah", methods=["POST"])
@body_limit("UPLOAD_MAX_LENGTH")
@role_required(Role.TRAINEE)
def api_upload(slug: str):
    """Take the answers out of an uploaded .ipynb (by grade_id) and store them as the draft."""
    opened = exercise_or_abort(slug)
    # The body itself is limited by UPLOAD_MAX_LENGTH before it is parsed (security.body_limit).
    upload = request.files.get("notebook")
    if upload is None or not upload.filename:
        return _error(400, _("Choose a .ipynb file to upload."))
    revision = request.form.get("revision", type=int)
    if revision is None or revision < 0:
        return _error(400, _("The draft revision is missing."))
    try:
        data = upload.read(notebook_files.UPLOAD_CAP + 1)
    finally:
        upload.close()  # a large upload is spooled to a temporary file
    starters = opened.notebook.starters
    try:
        answers, notes = notebook_files.answers_from_upload(data, opened.notebook)
        current = drafts.draft_answers(drafts.get_draft(current_user.id, opened.exercise.id), starters)
        draft = drafts.save_draft(current_user.id, opened.exercise.id, {**current, **answers}, revision)
    except drafts.DraftConflict as conflict:
        return _error(409, str(conflict), draft=_draft_json(conflict.draft, starters))
    except ServiceError as error:
        return _error(400, str(error))
    except RecursionError:  # e.g. "[" repeated 200,000 times: Python's JSON parser gives up
        return _error(400, notebook_files.unreadable_message())
    return jsonify(answers=draft.answers, revision=draft.revision, notes=notes)


# --- run, check, submit -------------------------------------------------------


def _grade_now(opened, answers: dict, mode: str, run_until=None):
    """Hand a run/check job to the runner and wait; the trainee-safe result as JSON."""
    exercise = opened.exercise
    # Runs and Checks leave no submission; the early warning reads this daily counter instead.
    warnings.count_run(current_user.id, exercise.id, mode)
    try:
        result = get_runner().grade_now(grading_job(exercise, answers, mode, run_until))
    except SandboxUnavailable:
        return _error(503, _("Code cannot be run right now: the grading sandbox is not available. Tell your mentor."))
    except (NotebookFormatError, ValueError) as error:
        return _error(400, str(error))
    except (KernelStartError, TimeoutError):
        return _error(503, _("The code runner is busy. Wait a moment and try again."))
    except Exception:  # a runner failure must reach the trainee as a calm message
        log.exception("run/check of %s failed", exercise.slug)
        return _error(503, _("The code runner is busy. Wait a moment and try again."))
    return jsonify(
        mode=result.get("mode", mode),
        score=result.get("score"),
        max_score=result.get("max_score"),
        tests=[shown_test(test) for test in result.get("tests", [])],
        notes=[message_text(note) for note in result.get("notes", [])],
        error=message_text(result.get("error")) or None,
        duration_s=result.get("duration_s"),
        cells=render_result_cells(result.get("cells")),
    )


@bp.route("/api/latihan/<slug>/jalankan", methods=["POST"])
@body_limit("WORKSPACE_JSON_MAX_LENGTH")
@role_required(Role.TRAINEE)
@limiter.limit(_limit("WORKSPACE_RUN_LIMIT", "30 per minute"), key_func=_per_trainee)
def api_run(slug: str):
    """Run the notebook up to a cell (``run`` mode): outputs only, no tests."""
    opened = exercise_or_abort(slug)
    body = _json_body()
    run_until = body.get("run_until")
    cell_count = opened.notebook.cell_count
    if run_until is not None and (not isinstance(run_until, int) or isinstance(run_until, bool)
                                  or not 0 <= run_until < cell_count):
        return _error(400, _("That cell does not exist."))
    try:
        answers = _answers_from_body(opened, body)
    except ServiceError as error:
        return _error(400, str(error))
    return _grade_now(opened, answers, "run", run_until)


@bp.route("/api/latihan/<slug>/periksa", methods=["POST"])
@body_limit("WORKSPACE_JSON_MAX_LENGTH")
@role_required(Role.TRAINEE)
@limiter.limit(_limit("WORKSPACE_CHECK_LIMIT", "15 per minute"), key_func=_per_trainee)
def api_check(slug: str):
    """Run the public tests (``check`` mode); results per test, nothing recorded."""
    opened = exercise_or_abort(slug)
    try:
        answers = _answers_from_body(opened, _json_body())
    except ServiceError as error:
        return _error(400, str(error))
    return _grade_now(opened, answers, "check")


@bp.route("/api/latihan/<slug>/kumpulkan", methods=["POST"])
@body_limit("WORKSPACE_JSON_MAX_LENGTH")
@role_required(Role.TRAINEE)
@limiter.limit(_limit("WORKSPACE_SUBMIT_LIMIT", "5 per minute"), key_func=_per_trainee)
def api_submit(slug: str):
    """Record a submission and queue it for grading with the hidden tests; poll its status URL."""
    opened = exercise_or_abort(slug)
    try:
        answers = _answers_from_body(opened, _json_body())
        submission = create_submission(current_user._get_current_object(), opened.exercise, answers)
    except ServiceError as error:
        return _error(400, str(error))
    # get_runner() without an argument resolves the real app object: the runner keeps it for its threads.
    get_runner().enqueue(submission.id)
    return jsonify(
        submission=trainee_submissions.submission_data(submission),
        status_url=url_for("trainee.api_submission", submission_id=submission.id),
        page_url=url_for("trainee.submission", submission_id=submission.id),
    ), 202


@bp.route("/api/pengumpulan/<int:submission_id>")
@role_required(Role.TRAINEE)
def api_submission(submission_id: int):
    """A submission's status and, once graded, its per-test results (polled by the workspace)."""
    submission = submission_or_abort(submission_id)
    data = trainee_submissions.submission_data(submission)
    if submission.status == SubmissionStatus.GRADED:
        data["standing"] = _standing(submission.exercise.slug)
    return jsonify(data)


def _standing(slug: str):
    """The exercise's status and best score now, and the next open exercise once it is passed (for the header)."""
    try:
        opened = exercise_access.open_exercise(current_user.id, slug)
    except ServiceError:
        return None
    row = opened.progress
    status = mentor_feedback.shown_status(row, mentor_feedback.revision_requested(current_user.id))
    following = None
    if status == ExerciseStatus.PASSED:
        later = mentor_feedback.next_open_exercise(opened.stages, opened.exercise.id)
        if later is not None:
            following = {"title": later.exercise.title(str(get_locale() or "id")),
                         "url": url_for("trainee.exercise", slug=later.exercise.slug)}
    return {"status": status, "best_score": row.best_score, "max_score": row.max_score, "next": following}
