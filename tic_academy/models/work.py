"""The work aggregate: drafts, submissions and per-test results."""
from __future__ import annotations

import zlib
from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, and_, case, func
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import IntegrityStatus, Role, SubmissionMode, SubmissionStatus
from ..extensions import db
from .curriculum import Exercise, ExerciseVersion
from .organisation import User
from .mentoring import ReviewItem, ScoreOverride
from .program import Enrollment
from ..clock import now_utc
from .types import UTCDateTime



class Draft(db.Model):
    """The trainee's current answers to one exercise (autosaved)."""

    __tablename__ = "draft"
    __table_args__ = (UniqueConstraint("trainee_id", "exercise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercise.id"), index=True)
    #: {grade_id: source} of the answer cells.
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Incremented on every save; a save based on an older revision is refused.
    revision: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    trainee: Mapped[User] = relationship()
    exercise: Mapped[Exercise] = relationship()


class Submission(db.Model):
    """Answers handed in for grading against the exact exercise version."""

    __tablename__ = "submission"
    # Progress and dashboards read best scores per trainee and exercise.
    __table_args__ = (
        Index("ix_submission_trainee_exercise", "trainee_id", "exercise_id", "mode", "status"),
        # One submission per commit of a project repository (notebook submissions have no commit).
        UniqueConstraint("trainee_id", "exercise_id", "commit_sha", name="uq_submission_commit"),
        # The review page finds the other answers of the same shape of an exercise (services/shapes.py).
        Index("ix_submission_exercise_shape", "exercise_id", "shape"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercise.id"), index=True)
    exercise_version_id: Mapped[int] = mapped_column(
        ForeignKey("exercise_version.id"), index=True
    )
    #: {grade_id: source} of the answer cells, as handed in.
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    mode: Mapped[str] = mapped_column(String(8), default=SubmissionMode.SUBMIT)
    status: Mapped[str] = mapped_column(String(8), default=SubmissionStatus.QUEUED, index=True)
    auto_score: Mapped[Optional[float]]
    max_score: Mapped[Optional[float]]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, index=True)
    started_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    #: Indexed: the dashboards' cache checks the latest grading time.
    graded_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime(), index=True)
    duration_s: Mapped[Optional[float]]
    #: How many times a runner picked the job up (re-queued after a lost worker).
    attempts: Mapped[int] = mapped_column(default=0)
    #: Who holds the grading claim (a random token per claim): only its holder may store the result.
    claim_token: Mapped[Optional[str]] = mapped_column(String(32))
    #: Until when the claim holds unless renewed; after that another worker may claim the job.
    lease_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    #: Integrity findings of the grader: [{code, grade_id, line, message}], message a {code, params} (grading/messages.py).
    flags: Mapped[list] = mapped_column(JSON, default=list)
    #: clear, held, cleared or confirmed (enums.IntegrityStatus); a held score does not count, a confirmed one counts 0.
    integrity_status: Mapped[str] = mapped_column(String(12), default=IntegrityStatus.CLEAR, server_default="clear")
    #: Why a mentor confirmed a violation (shown to the trainee, also in the audit log).
    integrity_reason: Mapped[Optional[str]] = mapped_column(Text)
    #: When a mentor cleared the submission or confirmed the violation (indexed: the dashboards' cache checks it).
    integrity_decided_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime(), index=True)
    #: Notes from assembly (ignored edits, unknown grade_ids) and why execution stopped early: a list of
    #: messages {code, params} (grading/messages.py), worded when shown (services/test_display.message_text).
    notes: Mapped[list] = mapped_column(JSON, default=list)
    #: Why grading failed (status "failed") or was refused, as a message {code, params}.
    error: Mapped[Optional[dict]] = mapped_column(JSON)
    #: The executed notebook (JSON, zlib-compressed), shown to mentors.
    executed_notebook: Mapped[Optional[bytes]] = mapped_column(LargeBinary)
    #: The trainee-visible result (score, tests, cell outputs) as JSON; its messages are {code, params} too.
    feedback: Mapped[Optional[dict]] = mapped_column(JSON)
    #: A project submission's commit (40 hex digits); None for notebooks.
    commit_sha: Mapped[Optional[str]] = mapped_column(String(40))
    #: How a project submission came: "push" or "button" (SUBMISSION_VIA); None for notebooks.
    via: Mapped[Optional[str]] = mapped_column(String(8))
    #: The commit's files (tar.gz, at most grading.project.SNAPSHOT_CAP), so any worker grades from the database.
    snapshot: Mapped[Optional[bytes]] = mapped_column(LargeBinary)
    #: The answer's shape (grading/representer.py): a SHA-256 of its normalised code, equal for answers that
    #: differ only in names, spacing, comments and docstrings. None: not computed yet, a project, or code that
    #: does not parse.
    shape: Mapped[Optional[str]] = mapped_column(String(64))

    trainee: Mapped[User] = relationship()
    exercise: Mapped[Exercise] = relationship()
    exercise_version: Mapped[ExerciseVersion] = relationship()
    #: A mentor's replacement of the automatic score (models/mentoring.py), if any.
    override: Mapped[Optional[ScoreOverride]] = relationship(
        primaryjoin="ScoreOverride.submission_id == Submission.id", viewonly=True, uselist=False
    )
    test_results: Mapped[list[TestResult]] = relationship(
        back_populates="submission",
        cascade="all, delete-orphan",
        order_by="TestResult.position",
    )

    def can(self, user: User, action: str) -> bool:
        """May ``user`` do ``action`` ("view", "discuss", "review") on this submission?

        A trainee views and discusses their own; a mentor reviews their
        trainees' submissions, and those an admin reassigned to them.
        """
        if user.role == Role.ADMIN:
            return True
        if user.role == Role.TRAINEE:
            return action in ("view", "discuss") and user.id == self.trainee_id
        if user.role == Role.MENTOR:
            enrollment = Enrollment.current_for(self.trainee_id)
            mentor_id = enrollment.mentor_id if enrollment else None
            return mentor_id == user.id or ReviewItem.held_by(self, user.id)
        return False

    # The effective score, defined once: in Python for one row, in SQL for the progress and
    # dashboard queries (which must outer-join ScoreOverride). tests/services/test_progress.py
    # checks that both forms agree.

    @hybrid_property
    def score(self) -> Optional[float]:
        """The score that counts: 0 for a confirmed violation, else the mentor's override, else the automatic score."""
        if self.integrity_status == IntegrityStatus.CONFIRMED and self.auto_score is not None:
            return 0.0
        return self.override.score if self.override is not None else self.auto_score

    @score.inplace.expression
    @classmethod
    def _score_expression(cls):
        """SQL form of ``score``."""
        return case((cls.integrity_status == IntegrityStatus.CONFIRMED, 0.0), else_=func.coalesce(ScoreOverride.score, cls.auto_score))

    @hybrid_property
    def share(self) -> Optional[float]:
        """The score that counts as a share (0..1) of the version's points; None before grading."""
        if self.score is None or not self.max_score:
            return None
        return self.score / self.max_score

    @share.inplace.expression
    @classmethod
    def _share_expression(cls):
        """SQL form of ``share`` (the query must outer-join ScoreOverride); no share of a 0-point version
        (PostgreSQL refuses to divide by zero where SQLite answers NULL)."""
        return case((cls.max_score > 0, cls.score / cls.max_score), else_=None)

    @hybrid_property
    def counts_for_progress(self) -> bool:
        """A graded submit-mode submission whose score is not held for a mentor: it counts toward progress."""
        return (self.mode == SubmissionMode.SUBMIT and self.status == SubmissionStatus.GRADED and bool(self.max_score)
                and self.integrity_status != IntegrityStatus.HELD)

    @counts_for_progress.inplace.expression
    @classmethod
    def _counts_for_progress_expression(cls):
        """SQL form of ``counts_for_progress``."""
        return and_(cls.mode == SubmissionMode.SUBMIT, cls.status == SubmissionStatus.GRADED, cls.max_score > 0, cls.integrity_status != IntegrityStatus.HELD)

    @property
    def held(self) -> bool:
        """Is the score held until a mentor looks at the integrity flags?"""
        return self.integrity_status == IntegrityStatus.HELD

    def store_notebook(self, notebook_json: str) -> None:
        """Keep the executed notebook, compressed."""
        self.executed_notebook = zlib.compress(notebook_json.encode("utf-8"), 6)

    def load_notebook(self) -> Optional[str]:
        """The executed notebook as JSON text, or None."""
        if self.executed_notebook is None:
            return None
        return zlib.decompress(self.executed_notebook).decode("utf-8")


class TestResult(db.Model):
    """The outcome of one autograded test cell of a submission."""

    __tablename__ = "test_result"
    __table_args__ = (UniqueConstraint("submission_id", "grade_id"),)
    __test__ = False  # not a pytest test class

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    grade_id: Mapped[str] = mapped_column(String(128))
    #: passed, failed, error, timeout or not_run.
    status: Mapped[str] = mapped_column(String(16))
    points: Mapped[float] = mapped_column(default=0.0)
    max_points: Mapped[float] = mapped_column(default=0.0)
    #: Why the test did not pass, as a message {code, params} (grading/messages.py); None when it passed.
    message: Mapped[Optional[dict]] = mapped_column(JSON)
    #: The task the test belongs to, from the notebook's heading ("Tugas 2 — Retribusi sampah").
    title: Mapped[str] = mapped_column(String(200), default="")
    #: The task's English name when the author gave one (project tasks' ``en``); empty otherwise.
    title_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: A teaching explanation as a code and its values, worded when shown (grading.explain.HINT_CODES).
    hint: Mapped[Optional[dict]] = mapped_column(JSON)

    submission: Mapped[Submission] = relationship(back_populates="test_results")


class HintReveal(db.Model):
    """A hint a trainee revealed for one task (a scored test) of an exercise: one row per hint, in order."""

    __tablename__ = "hint_reveal"
    # One row per hint: a double click finds the row already there (revealing is idempotent).
    __table_args__ = (UniqueConstraint("trainee_id", "exercise_id", "task_key", "hint_index",
                                       name="uq_hint_reveal_hint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercise.id"), index=True)
    #: The version the trainee was working on when revealing (its notebook held the hint's text).
    exercise_version_id: Mapped[int] = mapped_column(ForeignKey("exercise_version.id"))
    #: The task: a test cell's grade_id, or a project points entry's test id.
    task_key: Mapped[str] = mapped_column(String(255))
    #: 0 for the first hint of the task, 1 for the second, ...
    hint_index: Mapped[int]
    #: The share of the task's points this hint takes off submissions made after it (0 = free).
    cost_share: Mapped[float] = mapped_column(default=0.0)
    revealed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
