"""Project exercises: a trainee's repository, submitting a commit, and what the exercise page shows.

- ``repository_for`` gives the owner the path of their repository, creating it from the exercise's
  template on first use (the first commit is the platform's).
- ``submit_commit`` records a Submission for a commit (with a snapshot of its files, so any worker
  grades from the database alone) before anything runs, then announces it on ``commit_submitted``;
  the jobs layer listens and hands it to the runner (services never call the runners themselves).
  It is idempotent per (trainee, exercise, commit).

The git smart-HTTP side (tokens, push rules) is the ``git`` blueprint's; it calls these two functions.
"""
from __future__ import annotations

import io
import re
import tarfile
import tempfile
from pathlib import Path
from typing import Optional

from blinker import Namespace
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..grading import SNAPSHOT_CAP, ProjectSpec, evaluate_checks, pack_tree, too_large
from ..models import Exercise, Submission, User
from . import ServiceError, exercise_access, repositories
from ..enums import SubmissionStatus, SubmissionVia

#: Sent after a project submission was recorded (sender: the Submission); jobs/runners enqueues it.
commit_submitted = Namespace().signal("commit-submitted")

SHA = re.compile(r"^[0-9a-f]{40}$")
#: The first commit's message (git history is the trainee's, so it is Indonesian).
TEMPLATE_COMMIT_MESSAGE = "Templat awal proyek dari TIC Academy"
#: Largest file the review page shows as text.
SHOWN_FILE_CAP = 200 * 1024


class SnapshotTooLarge(ServiceError):
    """The commit's files are over the snapshot cap."""


def project_exercise(exercise_id: int) -> Optional[Exercise]:
    """The exercise if it is a live project exercise with a version, else None."""
    exercise = db.session.get(Exercise, exercise_id)
    if exercise is None or not exercise.is_project or exercise.retired or exercise.current_version is None:
        return None
    return exercise


def is_open_to(user: User, exercise: Exercise) -> bool:
    """Is this project exercise open to this trainee (in an open stage of their track)?"""
    if user is None or getattr(user, "role", None) != "trainee":
        return False
    try:
        opened = exercise_access.open_exercise(user.id, exercise.slug)
    except ServiceError:
        return False
    return opened.exercise.id == exercise.id


def repository_for(user, exercise_id: int, root: Path) -> Path | None:
    """The owner's repository of a project exercise, created from the template on first use; None if not theirs."""
    exercise = project_exercise(exercise_id)
    if exercise is None or not is_open_to(user, exercise):
        return None
    repo = repositories.repository_path(root, user.id, exercise.id)
    if not repositories.exists(repo):
        version = exercise.current_version
        create_repository(repo, version.template_archive or b"", ProjectSpec.from_json(version.source).branches)
    return repo


def create_repository(repo: Path, template_archive: bytes, branches: dict | None = None) -> None:
    """Create the repository from the template (tar.gz) of the exercise version, with its prepared branches."""
    with tempfile.TemporaryDirectory(prefix="tic-template-") as folder:
        with tarfile.open(fileobj=io.BytesIO(template_archive), mode="r:gz") as archive:
            archive.extractall(folder, filter="data")
        repositories.create_from_template(repo, Path(folder), TEMPLATE_COMMIT_MESSAGE, branches)


def snapshot_of(repo: Path, sha: str) -> bytes:
    """The files of a commit as tar.gz; SnapshotTooLarge over the cap."""
    with tempfile.TemporaryDirectory(prefix="tic-snapshot-") as folder:
        repositories.export_commit(repo, sha, Path(folder))
        data = pack_tree(Path(folder))
    if len(data) > SNAPSHOT_CAP:
        raise SnapshotTooLarge(f"{len(data)} bytes")
    return data


def submission_for_commit(trainee_id: int, exercise_id: int, sha: str) -> Optional[Submission]:
    """The submission already recorded for this commit, if any."""
    return db.session.scalar(select(Submission).where(
        Submission.trainee_id == trainee_id, Submission.exercise_id == exercise_id, Submission.commit_sha == sha))


def submit_commit(trainee_id: int, exercise_id: int, sha: str, via: str, root: Path) -> Submission | None:
    """Record a submission of a commit of the trainee's repository and announce it for grading.

    Idempotent: the same (trainee, exercise, commit) gives back the submission recorded first. None
    when the exercise is not a project, or the repository does not hold that commit.
    """
    if via not in tuple(SubmissionVia) or not SHA.match(sha or ""):
        return None
    exercise = project_exercise(exercise_id)
    if exercise is None:
        return None
    existing = submission_for_commit(trainee_id, exercise_id, sha)
    if existing is not None:
        return existing
    repo = repositories.repository_path(root, trainee_id, exercise_id)
    if not repositories.exists(repo) or not repositories.has_commit(repo, sha):
        return None
    submission = Submission(trainee_id=trainee_id, exercise=exercise, exercise_version=exercise.current_version,
                            answers={}, mode="submit", status="queued", commit_sha=sha, via=via)
    try:
        submission.snapshot = snapshot_of(repo, sha)
    except SnapshotTooLarge:
        # Recorded, never run: the trainee sees why (the push rules should stop this earlier).
        submission.status = SubmissionStatus.FAILED
        submission.error = too_large(SNAPSHOT_CAP)
    db.session.add(submission)
    try:
        db.session.commit()
    except IntegrityError:  # another request recorded the same commit a moment ago
        db.session.rollback()
        return submission_for_commit(trainee_id, exercise_id, sha)
    if submission.status == SubmissionStatus.QUEUED:
        commit_submitted.send(submission)
    return submission


def latest_commit(repo: Path) -> Optional[str]:
    """The sha ``main`` points to, or None (no repository yet, or an empty one)."""
    return repositories.head(repo) if repositories.exists(repo) else None




def check_commit(spec: ProjectSpec, repo: Path, sha: str) -> list:
    """The repository checks of a project on one commit (TestResults); RepositoryUnreadable when git cannot tell."""
    if not spec.checks:
        return []
    template = repositories.template_commit(repo) if repositories.exists(repo) else None
    return evaluate_checks(spec.checks, repo, sha, template or sha, repositories.prepared_commits(repo)
                           if template else {})
