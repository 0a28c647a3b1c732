"""Submissions: record first, grade through a runner, persist the result once.

A submission is written to the database (status ``queued``) before its job is
handed to a runner, so a lost worker means a re-queued job, never a lost
submission. Grading the same submission again replaces its results, so there
is only ever one set.

A worker grades a submission only after claiming it: one conditional UPDATE
takes it when it is queued, or running under a lease that ran out (its worker
died). The claim carries a random token and a lease the holder renews while
it grades; a second worker (a job delivered twice) gets no claim and does
nothing, and only the holder of the token may store a result.
"""
from __future__ import annotations

import logging
import secrets
import threading
from datetime import timedelta
from pathlib import Path
from typing import Optional

import nbformat
from flask_babel import gettext as _
from sqlalchemy import and_, delete, or_, select, update

from ..clock import now_utc
from ..enums import IntegrityStatus, SubmissionStatus
from ..extensions import db
from ..grading import (GradingEngine, KernelStartError, NotebookFormatError, ProjectSpec, RepositoryUnreadable,
                       SandboxUnavailable, message, needs_hold, with_checks)
from ..models import Exercise, Submission, TestResult, User
from . import ServiceError, hints, notebooks, projects, repositories, review_queue
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


def claim_held_elsewhere(submission: Optional[Submission], now=None) -> Optional[float]:
    """Seconds until another worker's live claim on this submission lapses, or None when there is none."""
    now = now or now_utc()
    if submission is None or submission.status != SubmissionStatus.RUNNING or submission.lease_until is None:
        return None
    left = (submission.lease_until - now).total_seconds()
    return left if left > 0 else None


def _claimable(now):
    """The condition under which a worker may claim a submission: queued, or running under a lapsed lease."""
    lapsed = or_(Submission.lease_until.is_(None), Submission.lease_until < now)
    return or_(Submission.status == SubmissionStatus.QUEUED, and_(Submission.status == SubmissionStatus.RUNNING, lapsed))


def claim_submission(submission_id: int, lease_s: Optional[int] = None, now=None) -> Optional[str]:
    """Claim a submission for grading in one conditional UPDATE; return the claim token, or None when
    another worker holds it (or it is already graded or failed)."""
    now = now or now_utc()
    token = secrets.token_hex(16)
    result = db.session.execute(
        update(Submission)
        .where(Submission.id == submission_id, _claimable(now))
        .values(status="running", claim_token=token, started_at=now,
                lease_until=now + timedelta(seconds=lease_s or DEFAULT_SETTINGS.grading_lease_s),
                attempts=Submission.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return token if result.rowcount == 1 else None


def _still_held(submission_id: int, token: str) -> bool:
    """Lock the submission's row if this claim still holds it (the caller then writes and commits)."""
    result = db.session.execute(
        update(Submission)
        .where(Submission.id == submission_id, Submission.claim_token == token, Submission.status == SubmissionStatus.RUNNING)
        .values(claim_token=token)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


class _LeaseKeeper:
    """Renews a claim's lease from a thread of its own while the holder grades."""

    def __init__(self, submission_id: int, token: str, lease_s: int):
        self.submission_id, self.token, self.lease_s = submission_id, token, lease_s
        self.engine = db.engine  # read here: the thread has no app context
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"lease-{submission_id}", daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stopped.set()
        self.thread.join()

    def _run(self) -> None:
        """Every third of the lease, push the lease's end further (as long as the claim is ours)."""
        while not self.stopped.wait(self.lease_s / 3):
            try:
                with self.engine.begin() as connection:
                    connection.execute(
                        update(Submission)
                        .where(Submission.id == self.submission_id, Submission.claim_token == self.token,
                               Submission.status == SubmissionStatus.RUNNING)
                        .values(lease_until=now_utc() + timedelta(seconds=self.lease_s))
                    )
            except Exception:  # the database may be briefly away; the next round tries again
                log.exception("renewing the grading lease of submission %s failed", self.submission_id)


def grade_submission(submission_id: int, engine: GradingEngine, settings: ServiceSettings = DEFAULT_SETTINGS,
                     repo_root: Optional[Path] = None) -> Optional[Submission]:
    """Claim one submission, grade it and store its results; when the claim goes to another worker (or
    the submission is already graded) do nothing and return the submission as it stands.

    ``repo_root`` (REPO_ROOT): where a project's repository checks are read; needed only by projects with checks.
    """
    lease_s = settings.grading_lease_s
    token = claim_submission(submission_id, lease_s)
    submission = db.session.get(Submission, submission_id)
    if token is None or submission is None:
        return submission
    version = submission.exercise_version
    try:
        with _LeaseKeeper(submission_id, token, lease_s):
            if submission.exercise.is_project:
                # The hidden tests run on the snapshot stored in the database; the repository checks (if the
                # project has any) are read here, outside the sandbox, from the trainee's repository.
                spec = ProjectSpec.from_json(version.source)
                checked = _check_repository(spec, submission, repo_root)
                result = engine.grade_project(spec, submission.snapshot or b"", limits=submission.exercise.limits or None)
                result = with_checks(result, checked)
            else:
                result = engine.grade(
                    version.source,
                    submission.answers,
                    mode=submission.mode,
                    **grading_options(submission.exercise),
                )
    except RepositoryUnreadable as exc:  # the checks cannot be computed: say so, never a silent zero
        log.warning("submission %s: repository checks failed: %s", submission_id, exc.message)
        return _release(submission_id, token, status="failed", error=exc.message, graded_at=now_utc(),
                        lease_until=None)
    except KernelStartError as exc:  # no kernel right now: worth another try, by the sweep
        log.warning("submission %s back in the queue: %s", submission_id, exc)
        return _release(submission_id, token, status="queued", claim_token=None, lease_until=None)
    except (NotebookFormatError, SandboxUnavailable, ValueError) as exc:
        return _fail(submission_id, token, str(exc))
    except Exception as exc:  # an engine bug must not leave the job "running" forever
        log.exception("grading submission %s failed", submission_id)
        return _fail(submission_id, token, f"{type(exc).__name__}: {exc}")
    try:
        if not _still_held(submission_id, token):
            # Our lease lapsed and another worker took the job: its result is the one that counts.
            log.warning("submission %s: claim lost before storing; result dropped", submission_id)
            db.session.rollback()
            return db.session.get(Submission, submission_id)
        _store_result(submission, result)
        db.session.commit()
    except Exception as exc:  # e.g. the database went away: say so rather than stay "running"
        log.exception("storing the result of submission %s failed", submission_id)
        return _fail(submission_id, token, f"{type(exc).__name__}: {exc}")
    try:
        # Manual grading, integrity flags, similarity, sign-off requests.
        review_queue.on_submission_graded(submission, settings)
    except Exception:  # the grade is stored; a queue problem must not undo it
        log.exception("queueing reviews for submission %s failed", submission_id)
        db.session.rollback()
    return submission


def _check_repository(spec: ProjectSpec, submission: Submission, repo_root: Optional[Path]) -> list:
    """The project's repository checks on the submitted commit (none when the project has no checks)."""
    if not spec.checks:
        return []
    if repo_root is None:
        raise RepositoryUnreadable(message("check_repository_missing"))
    repo = repositories.repository_path(repo_root, submission.trainee_id, submission.exercise_id)
    return projects.check_commit(spec, repo, submission.commit_sha or "")


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
    # Hints revealed before the submission take their share off their task's points (services/hints.py);
    # the reduced score is the one stored, so progress and dashboards follow. Regrading does the same.
    task_hints = notebooks.of_version(submission.exercise_version).task_hints
    if task_hints:
        data["hints"] = hints.score_deduction(submission.trainee_id, submission.exercise_id, submission.created_at,
                                              result.tests, task_hints)
        data["score"] = max(0.0, result.score - data["hints"]["points"])
    submission.auto_score = data["score"]
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
    submission.lease_until = None  # a lease exists only while a grading runs


def _release(submission_id: int, token: str, **values) -> Optional[Submission]:
    """Set the given columns if this claim still holds the submission; return it as it now stands."""
    db.session.rollback()
    db.session.execute(
        update(Submission)
        .where(Submission.id == submission_id, Submission.claim_token == token, Submission.status == SubmissionStatus.RUNNING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return db.session.get(Submission, submission_id)


def _fail(submission_id: int, token: str, error: str) -> Optional[Submission]:
    """Mark a claimed submission failed with the reason (when the claim is still ours)."""
    return _release(submission_id, token, status="failed", error=message("grading_failed", error=error),
                    graded_at=now_utc(), lease_until=None)


def _stale(now):
    """The condition of a lost job: running under a lapsed lease (dead worker), or queued too long."""
    lapsed = or_(Submission.lease_until < now,
                 Submission.lease_until.is_(None) & (Submission.started_at < now - STALE_RUNNING))
    return or_(and_(Submission.status == SubmissionStatus.RUNNING, lapsed),
               (Submission.status == SubmissionStatus.QUEUED) & (Submission.created_at < now - STALE_QUEUED))


def stale_submissions(now=None) -> list[Submission]:
    """Jobs that look lost: running under a lapsed lease (dead worker) or queued too long."""
    now = now or now_utc()
    return list(db.session.scalars(select(Submission).where(_stale(now))))


def requeue_stale(enqueue, now=None) -> int:
    """Put lost jobs back in the queue; returns how many."""
    now = now or now_utc()
    lost = [submission.id for submission in stale_submissions(now)]
    if lost:
        # Conditional: a job graded meanwhile stays graded.
        db.session.execute(
            update(Submission)
            .where(Submission.id.in_(lost), _stale(now))
            .values(status="queued", claim_token=None, lease_until=None)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    for submission_id in lost:
        enqueue(submission_id)
    return len(lost)
