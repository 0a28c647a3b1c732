"""The exercise page of a project exercise: clone URL, steps, commit log, Download ZIP, Kumpulkan, results."""
import os
from pathlib import Path
from urllib.parse import urlsplit

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import links
from ..auth.policy import role_required
from ..extensions import limiter
from ..services import hints, projects, repositories, trainee_submissions
from .access import exercise_or_abort
from .blueprint import bp
from .project_editor_page import editor_data
from ..enums import Role

#: The profile page where trainees create access tokens (the git engineer's `auth.tokens`).
TOKENS_ENDPOINT, TOKENS_PATH = "auth.tokens", "/profil/token"


def repo_root() -> Path:
    """Where the trainees' repositories live (TIC_REPO_ROOT; by default instance/repos)."""
    return Path(current_app.config.get("REPO_ROOT") or os.path.join(current_app.instance_path, "repos"))


def _tokens_url() -> str:
    """The profile's token section, by endpoint when this app has it, else by its agreed path."""
    if TOKENS_ENDPOINT in current_app.view_functions:
        return url_for(TOKENS_ENDPOINT)
    return urlsplit(current_app.config["EXTERNAL_URL"]).path.rstrip("/") + TOKENS_PATH


def _repository(opened) -> Path:
    """The current trainee's repository of this exercise (created on first open); 404 when not theirs."""
    repo = projects.repository_for(current_user._get_current_object(), opened.exercise.id, repo_root())
    if repo is None:
        abort(404)
    return repo


def project_page(opened):
    """Render the exercise page of a project exercise (called by the exercise view)."""
    repo = _repository(opened)
    submissions = trainee_submissions.submissions_of(current_user.id, opened.exercise.id)
    latest_sha = projects.latest_commit(repo)
    return render_template(
        "trainee/project.html",
        opened=opened,
        exercise=opened.exercise,
        clone_url=links.clone_url(current_user.id, opened.exercise.id),
        tokens_url=_tokens_url(),
        folder=opened.exercise.slug,
        commits=repositories.commit_log(repo, limit=20),
        latest_sha=latest_sha,
        latest_submitted=projects.submission_for_commit(current_user.id, opened.exercise.id, latest_sha)
        if latest_sha else None,
        submissions=submissions,
        latest=submissions[0] if submissions else None,
        editor_data=editor_data(current_user.id, opened.exercise.id, opened.exercise.slug),
        hint_states=hints.hint_states(current_user.id, opened.exercise.id, opened.notebook.task_hints),
    )


@bp.route("/latihan/<slug>/kumpulkan-commit", methods=["POST"])
@role_required(Role.TRAINEE)
@limiter.limit(lambda: current_app.config.get("WORKSPACE_SUBMIT_LIMIT", "5 per minute"),
               key_func=lambda: f"trainee:{current_user.id}")
def submit_latest_commit(slug: str):
    """Kumpulkan: submit the latest commit of main for grading (once per commit)."""
    opened = exercise_or_abort(slug, project_ok=True)
    if not opened.exercise.is_project:
        abort(404)
    repo = _repository(opened)
    sha = projects.latest_commit(repo)
    already = sha and projects.submission_for_commit(current_user.id, opened.exercise.id, sha)
    submission = projects.submit_commit(current_user.id, opened.exercise.id, sha, "button", repo_root()) if sha else None
    if submission is None:
        flash(_("There is no commit to submit yet."), "warning")
    elif already:
        flash(_("This commit was already submitted; its result is below."), "info")
    else:
        flash(_("Commit %(sha)s submitted: it is being graded.", sha=sha[:8]), "success")
    return redirect(url_for("trainee.exercise", slug=slug))


@bp.route("/latihan/<slug>/zip")
@role_required(Role.TRAINEE)
def project_zip(slug: str):
    """Download ZIP: the files of the latest commit of main."""
    opened = exercise_or_abort(slug, project_ok=True)
    if not opened.exercise.is_project:
        abort(404)
    repo = _repository(opened)
    sha = projects.latest_commit(repo)
    if sha is None:
        abort(404)
    data = repositories.zip_of_commit(repo, sha, prefix=slug)
    return Response(data, mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{slug}-{sha[:8]}.zip"'})
