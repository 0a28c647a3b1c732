"""Submissions: record first, grade through a runner, persist the result once.

A submission is written to the database (status ``queued``) before its job is
handed to a runner, so a lost worker means a re-queued job, never a lost
submission. Grading the same submission again replaces its results, so there
is only ever one set.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Optional

import nbformat
from flask_babel import gettext as _
from sqlalchemy import delete, or_, select

from ..enums import IntegrityStatus, SubmissionStatus
from ..extensions import db
from ..grading import (GradingEngine, KernelStartError, NotebookFormatError, ProjectSpec, SandboxUnavailable, message,
                       needs_hold)
from ..models import Exercise, Submission, TestResult, User
from ..clock import now_utc
from . import ServiceError, review_queue
from .settings import DEFAULT_SETTINGS, ServiceSettings

log = logging.getLogger(__name__)

#: A running job older than this is taken as lost (its worker died) by the sweep.
STALE_RUNNING = timedelta(minutes=10)
#: A queued job older than this is taken as lost (its message never arrived).
STALE_QUEUED = timedelta(minutes=10)


def grading_options(exercise: Exercise) -> dict:
    """Per-exercise limits, allowed imports and rules for the engine."""
    return {"limits": exercise.limits or None, "allowed_imports": exercise.allowed_imports,
            "rules": list(exercise.rules or [])}


def grading_job(exercise: Exercise, answers: dict[str, str], mode: str, run_until: Optional[int] = None) -> dict:
    """The runner's job for a run or check of ``answers`` against the exercise's current notebook."""
    return {
        "source": exercise.current_version.source,
        "answers": answers,
        "mode": mode,
        "run_until": run_until,
        **grading_options(exercise),
    }


def create_submission(trainee: User, exercise: Exercise, answers: dict[str, str], mode: str = "submit") -> Submission:
    """Record a submission against the exercise's current version (status queued)."""
    if exercise.current_version is None or exercise.retired:
        raise ServiceError(_("This exercise cannot be submitted right now."))
    if exercise.is_project:  # a project is submitted as a commit (services/projects.py)
        raise ServiceError(_("This exercise is submitted with git push or the Kumpulkan button."))
    if not isinstance(answers, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in answers.items()):
        raise ServiceError(_("The answers are not in the expected form."))
    submission = Submission(
        trainee=trainee,
        exercise=exercise,
        exercise_version=exercise.current_version,
        answers=answers,
        mode=mode,
        status="queued",
    )
    db.session.add(submission)
    db.session.commit()
    return submission


def grade_submission(submission_id: int, engine: GradingEngine,
                     settings: ServiceSettings = DEFAULT_SETTINGS) -> Optional[Submission]:
    """Grade one submission and store its results (idempotent: graded ones are left alone)."""
    submission = db.session.get(Submission, submission_id)
    if submission is None or submission.status == SubmissionStatus.GRADED:
        return submission
    submission.status = SubmissionStatus.RUNNING
    submission.started_at = now_utc()
    submission.attempts += 1
    db.session.commit()
    version = submission.exercise_version
    try:
        if submission.exercise.is_project:
            # Everything comes from the database (the version's hidden tests, the commit's snapshot).
            result = engine.grade_project(ProjectSpec.from_json(version.source), submission.snapshot or b"",
                                          limits=submission.exercise.limits or None)
        else:
            result = engine.grade(
                version.source,
                submission.answers,
                mode=submission.mode,
                **grading_options(submission.exercise),
            )
    except KernelStartError as exc:  # no kernel right now: worth another try, by the sweep
        log.warning("submission %s back in the queue: %s", submission_id, exc)
        return _requeue(submission)
    except (NotebookFormatError, SandboxUnavailable, ValueError) as exc:
        return _fail(submission, str(exc))
    except Exception as exc:  # an engine bug must not leave the job "running" forever
        log.exception("grading submission %s failed", submission_id)
        return _fail(submission, f"{type(exc).__name__}: {exc}")
    try:
        _store_result(submission, result)
        db.session.commit()
    except Exception as exc:  # e.g. the database went away: say so rather than stay "running"
        log.exception("storing the result of submission %s failed", submission_id)
        return _fail(submission, f"{type(exc).__name__}: {exc}")
    try:
        # Manual grading, integrity flags, similarity, sign-off requests.
        review_queue.on_submission_graded(submission, settings)
    except Exception:  # the grade is stored; a queue problem must not undo it
        log.exception("queueing reviews for submission %s failed", submission_id)
        db.session.rollback()
    return submission


def _store_result(submission: Submission, result) -> None:
    """Persist a grading result: one set of test results, scores, flags, notebook."""
    db.session.execute(delete(TestResult).where(TestResult.submission_id == submission.id))
    db.session.flush()
    for position, test in enumerate(result.tests):
        db.session.add(
            TestResult(
                submission_id=submission.id,
                position=position,
                grade_id=test.grade_id,
                status=test.status,
                points=test.points,
                max_points=test.max_points,
                message=test.message,
                title=test.title or "",
                title_en=test.title_en or "",
                hint=test.hint or None,
            )
        )
    data = result.to_dict()
    submission.auto_score = result.score
    submission.max_score = result.max_score
    submission.flags = data["flags"]
    if submission.integrity_status not in (IntegrityStatus.CLEARED, IntegrityStatus.CONFIRMED):  # a mentor's decision stands
        # Serious flags hold the automatic score until a mentor clears it (progress ignores it meanwhile).
        submission.integrity_status = IntegrityStatus.HELD if needs_hold(result.flags) else IntegrityStatus.CLEAR
    submission.notes = data["notes"]
    submission.feedback = data
    submission.error = result.error
    submission.duration_s = result.duration_s
    if result.notebook is not None:  # project gradings have no notebook
        submission.store_notebook(nbformat.writes(result.notebook))
    submission.status = SubmissionStatus.GRADED
    submission.graded_at = now_utc()


def _requeue(submission: Submission) -> Submission:
    db.session.rollback()
    submission = db.session.get(Submission, submission.id)
    submission.status = SubmissionStatus.QUEUED
    db.session.commit()
    return submission


def _fail(submission: Submission, error: str) -> Submission:
    db.session.rollback()
    submission = db.session.get(Submission, submission.id)
    submission.status = SubmissionStatus.FAILED
    submission.error = message("grading_failed", error=error)
    submission.graded_at = now_utc()
    db.session.commit()
    return submission


def stale_submissions(now=None) -> list[Submission]:
    """Jobs that look lost: running too long (dead worker) or queued too long."""
    now = now or now_utc()
    return list(
        db.session.scalars(
            select(Submission).where(
                or_(
                    (Submission.status == SubmissionStatus.RUNNING) & (Submission.started_at < now - STALE_RUNNING),
                    (Submission.status == SubmissionStatus.QUEUED) & (Submission.created_at < now - STALE_QUEUED),
                )
            )
        )
    )


def requeue_stale(enqueue, now=None) -> int:
    """Put lost jobs back in the queue; returns how many."""
    lost = stale_submissions(now)
    for submission in lost:
        submission.status = SubmissionStatus.QUEUED
    db.session.commit()
    for submission in lost:
        enqueue(submission.id)
    return len(lost)
