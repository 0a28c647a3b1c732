"""JSON endpoints of the project editor: files at the head, web commits, the commit log and diffs, Jalankan uji.

Only the trainee who owns the repository (their own open project exercise) reaches these: every route
works on the current trainee's repository, so another trainee's files or commits answer 404. Mentors
never write (the routes are trainee only). POSTs are CSRF-protected (the ``X-CSRFToken`` header).
"""
import logging

from flask import abort, current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.policy import role_required
from ..enums import Role
from ..extensions import limiter
from ..grading import SandboxUnavailable
from ..i18n import tanggal_jam
from ..jobs.runners import get_runner
from ..security import body_limit
from ..services import project_editor, project_review, repositories
from ..services.test_display import message_text, shown_test
from .access import exercise_or_abort
from .api import _error, _json_body, _limit, _per_trainee
from .blueprint import bp
from .projects import _repository

log = logging.getLogger(__name__)


def _project_repository(slug: str):
    """(opened exercise, repository) of the current trainee's project exercise; 404 when it is not a project."""
    opened = exercise_or_abort(slug, project_ok=True)
    if not opened.exercise.is_project:
        abort(404)
    return opened, _repository(opened)


def _commits(repo) -> list[dict]:
    """The newest commits of main as JSON."""
    return [{"sha": commit.sha, "author": commit.author, "time": commit.committed_at.isoformat(),
             "time_text": tanggal_jam(commit.committed_at), "subject": commit.subject} for commit in repositories.commit_log(repo, limit=50)]


@bp.route("/api/latihan/<slug>/proyek/berkas", methods=["GET"])
@role_required(Role.TRAINEE)
def api_project_files(slug: str):
    """Every file of the latest commit of main, with its text (None for binary or large files)."""
    opened, repo = _project_repository(slug)
    head = repositories.head(repo)
    entries = project_editor.tree(repo, head) if head else []
    texts = project_editor.read_texts(repo, head, entries) if head else {}
    files = [{"path": entry.path, "size": entry.size, "text": texts[entry.path]} for entry in entries]
    return jsonify(head=head, files=files, commits=_commits(repo))


@bp.route("/api/latihan/<slug>/proyek/commit", methods=["POST"])
@body_limit("GIT_PUSH_MAX_BYTES")
@role_required(Role.TRAINEE)
@limiter.limit(_limit("PROJECT_COMMIT_LIMIT", "20 per minute"), key_func=_per_trainee)
def api_project_commit(slug: str):
    """Simpan sebagai commit: commit the changes on the base sha; 409 with the current head when it moved."""
    opened, repo = _project_repository(slug)
    body = _json_body()
    config = current_app.config
    try:
        sha = project_editor.commit_changes(
            repo, body.get("base"), body.get("changes"), body.get("message"),
            (current_user.full_name or current_user.email, current_user.email),
            config["GIT_FILE_MAX_BYTES"], config["GIT_PUSH_MAX_BYTES"])
    except project_editor.StaleBase as stale:
        return _error(409, str(stale), current=stale.current)
    except project_editor.EditorError as error:
        return _error(400, str(error))
    return jsonify(sha=sha, head=sha, commits=_commits(repo),
                   message=_("Saved as commit %(sha)s.", sha=sha[:8]))


@bp.route("/api/latihan/<slug>/proyek/log", methods=["GET"])
@role_required(Role.TRAINEE)
def api_project_log(slug: str):
    """The newest commits of main."""
    opened, repo = _project_repository(slug)
    return jsonify(head=repositories.head(repo), commits=_commits(repo))


@bp.route("/api/latihan/<slug>/proyek/diff/<sha>", methods=["GET"])
@role_required(Role.TRAINEE)
def api_project_diff(slug: str, sha: str):
    """One commit's changes as a unified diff (capped); 404 for a commit this repository does not hold."""
    opened, repo = _project_repository(slug)
    try:
        text, cut = project_editor.commit_diff(repo, sha)
    except project_editor.EditorError as error:
        return _error(404, str(error))
    return jsonify(sha=sha, diff=text, cut=cut)


@bp.route("/api/latihan/<slug>/proyek/komentar", methods=["GET"])
@role_required(Role.TRAINEE)
def api_project_comments(slug: str):
    """The mentor's line comments on ``?path=``, placed on its text at ``?sha=`` (default: the head of main)."""
    opened, repo = _project_repository(slug)
    sha = request.args.get("sha") or repositories.head(repo)
    if not sha or not project_editor.SHA.match(sha) or not repositories.has_commit(repo, sha):
        return _error(404, _("That commit does not exist."))
    try:
        text = project_editor.as_text(project_editor.read_file(repo, sha, request.args.get("path", "")))
    except project_editor.EditorError as error:
        return _error(404, str(error))
    path = project_editor.clean_path(request.args.get("path", ""))
    placed = project_review.comments_for_file(current_user.id, opened.exercise.id, path, text or "")
    return jsonify(path=path, sha=sha, **placed.as_json())


@bp.route("/api/latihan/<slug>/proyek/uji", methods=["POST"])
@body_limit("GIT_PUSH_MAX_BYTES")
@role_required(Role.TRAINEE)
@limiter.limit(_limit("WORKSPACE_CHECK_LIMIT", "15 per minute"), key_func=_per_trainee)
def api_project_test(slug: str):
    """Jalankan uji: the template's public tests over the working copy (head + unsaved changes); nothing recorded."""
    opened, repo = _project_repository(slug)
    body = _json_body()
    base = body.get("base")
    if not isinstance(base, str) or not project_editor.SHA.match(base) or not repositories.has_commit(repo, base):
        return _error(400, _("That commit does not exist."))
    exercise = opened.exercise
    spec = project_editor.public_spec(exercise.current_version.template_archive or b"")
    if spec is None:
        return _error(400, _("This project has no public tests."))
    try:
        snapshot = project_editor.working_copy(repo, base, body.get("changes") or [],
                                               current_app.config["GIT_FILE_MAX_BYTES"],
                                               current_app.config["GIT_PUSH_MAX_BYTES"])
        result = get_runner().grade_now(project_editor.public_test_job(spec, snapshot, exercise.limits))
    except project_editor.EditorError as error:
        return _error(400, str(error))
    except SandboxUnavailable:
        return _error(503, _("Code cannot be run right now: the grading sandbox is not available. Tell your mentor."))
    except Exception:  # a runner failure must reach the trainee as a calm message
        log.exception("public tests of project %s failed", exercise.slug)
        return _error(503, _("The code runner is busy. Wait a moment and try again."))
    return jsonify(
        score=result.get("score"),
        max_score=result.get("max_score"),
        tests=[shown_test(test) for test in result.get("tests", [])],
        notes=[message_text(note) for note in result.get("notes", [])],
        error=message_text(result.get("error")) or None,
        duration_s=result.get("duration_s"),
    )

