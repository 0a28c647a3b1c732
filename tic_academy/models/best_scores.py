"""The best-score table: one row per trainee and exercise they submitted, kept in step with the submissions.

The dashboards, the progress pages and the exports read a trainee's best counted
share of an exercise from here instead of regrouping every submission on each
view. A row holds what they need: the best counted share (the rule of
``Submission.share`` and ``Submission.counts_for_progress``, models/work.py), when
the exercise was first passed at its stage's threshold, how many submissions
there are and when the last one came.

Every write that can change these figures goes through ``refresh_pairs``: a
session hook (``_keep_best_scores``) calls it at each flush for the pairs whose
submissions, score overrides, stage threshold or stage were added, changed or
deleted, so the row is rewritten in the same transaction as the change, whoever
made it (grading, a mentor's override or integrity decision, a deletion, a
curriculum sync, the demo data or a test). ``recompute`` rebuilds the whole table
from the submissions (the migration, ``flask rebuild-best-scores``, the tests).
"""
from __future__ import annotations

from datetime import datetime
from itertools import chain
from typing import Iterable, Optional

from sqlalchemy import ForeignKey, and_, case, delete, event, func, inspect, literal, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..clock import now_utc
from ..extensions import db
from .curriculum import Exercise, Stage
from .mentoring import ScoreOverride
from .types import UTCDateTime
from .work import Submission


class BestScore(db.Model):
    """A trainee's figures on one exercise, derived from their submissions (never edited by hand)."""

    __tablename__ = "best_score"

    trainee_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercise.id"), primary_key=True, index=True)
    #: Best counted share (0..1) of the points; None while no submission counts (queued, held, a run ...).
    best_share: Mapped[Optional[float]]
    #: When the first counted submission reaching the stage's pass threshold was handed in; None if none did.
    first_pass_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    #: Submissions of any mode and status (0: all of them were deleted; the row stays, see refresh_pairs).
    submissions: Mapped[int] = mapped_column(default=0)
    #: When the newest submission of any mode and status was handed in.
    last_submitted_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    #: When the row was last rewritten (indexed: the dashboards' cache checks it).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, index=True)


#: Submission columns whose change can change a row (others, e.g. feedback or the lease, cannot).
WATCHED_SUBMISSION_COLUMNS = ("mode", "status", "auto_score", "max_score",
                              "integrity_status", "created_at")
#: The figures' columns, in the order ``figures_query`` selects them.
FIGURE_COLUMNS = ("trainee_id", "exercise_id", "best_share", "first_pass_at", "submissions", "last_submitted_at")


def figures_query(*where):
    """The table's figures computed from the submissions, per (trainee, exercise), for the rows matching ``where``."""
    counts = Submission.counts_for_progress
    share = Submission.share
    passed = and_(counts, share >= Stage.pass_threshold - 1e-9)
    return (
        select(
            Submission.trainee_id,
            Submission.exercise_id,
            func.max(case((counts, share))),
            func.min(case((passed, Submission.created_at)), type_=UTCDateTime()),
            func.count(),
            func.max(Submission.created_at, type_=UTCDateTime()),
        )
        .select_from(Submission)
        .outerjoin(ScoreOverride, ScoreOverride.submission_id == Submission.id)
        .join(Exercise, Exercise.id == Submission.exercise_id)
        .join(Stage, Stage.id == Exercise.stage_id)
        .where(*where)
        .group_by(Submission.trainee_id, Submission.exercise_id)
    )


def recompute(connection: Connection) -> int:
    """Rebuild the whole table from the submissions (in the caller's transaction); returns the number of rows."""
    connection.execute(delete(BestScore))
    query = figures_query().add_columns(literal(now_utc(), UTCDateTime()))
    connection.execute(BestScore.__table__.insert().from_select([*FIGURE_COLUMNS, "updated_at"], query))
    return connection.scalar(select(func.count()).select_from(BestScore))


def computed_figures(connection: Connection) -> dict[tuple[int, int], tuple]:
    """(trainee, exercise) -> the figures as a full recomputation from the submissions gives them (tests compare)."""
    rows = connection.execute(figures_query())
    return {(row[0], row[1]): _plain(row[2:]) for row in rows}


def stored_figures(connection: Connection) -> dict[tuple[int, int], tuple]:
    """(trainee, exercise) -> the figures the table holds, empty rows left out (tests compare with ``computed_figures``)."""
    table = BestScore.__table__
    rows = connection.execute(select(*[table.c[name] for name in FIGURE_COLUMNS]).where(table.c.submissions > 0))
    return {(row[0], row[1]): _plain(row[2:]) for row in rows}


def _plain(values) -> tuple:
    """The figures rounded for comparison (floats from two queries may differ in the last digit)."""
    share, first_pass, count, last = values
    return (None if share is None else round(float(share), 9), first_pass, count, last)


def refresh_pairs(connection: Connection, pairs: Iterable[tuple[int, int]]) -> None:
    """Rewrite the rows of these (trainee, exercise) pairs from their submissions, in the caller's transaction.

    Each row is first created or touched, which locks it on PostgreSQL: a second
    transaction refreshing the same pair waits, then computes from what the first
    one committed, so the last writer never stores figures that miss the first one's change.
    """
    pairs = sorted({pair for pair in pairs if None not in pair})
    if not pairs:
        return
    now = now_utc()
    for trainee_id, exercise_id in pairs:
        _touch(connection, trainee_id, exercise_id, now)
    found = {}
    for row in connection.execute(figures_query(tuple_(Submission.trainee_id, Submission.exercise_id).in_(pairs))):
        found[(row[0], row[1])] = row
    for trainee_id, exercise_id in pairs:
        where = and_(BestScore.trainee_id == trainee_id, BestScore.exercise_id == exercise_id)
        # A pair with no submission left keeps an empty row: rows are never deleted, so the dashboards'
        # cache (services/dashboards.py) sees every change as a newer updated_at.
        row = found.get((trainee_id, exercise_id), (trainee_id, exercise_id, None, None, 0, None))
        connection.execute(update(BestScore).where(where).values(
            best_share=row[2], first_pass_at=row[3], submissions=row[4], last_submitted_at=row[5], updated_at=now,
        ))


def refresh_exercises(connection: Connection, exercise_ids: Iterable[int]) -> None:
    """Rewrite the rows of every trainee on these exercises (their stage or its threshold changed)."""
    exercise_ids = sorted(set(exercise_ids))
    if exercise_ids:
        pairs = connection.execute(
            select(Submission.trainee_id, Submission.exercise_id).distinct()
            .where(Submission.exercise_id.in_(exercise_ids))
        ).all()
        refresh_pairs(connection, [tuple(pair) for pair in pairs])


def _touch(connection: Connection, trainee_id: int, exercise_id: int, now: datetime) -> None:
    """Create the pair's row, or set its updated_at when it exists (one statement; it locks the row)."""
    insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(BestScore).values(trainee_id=trainee_id, exercise_id=exercise_id, submissions=0, updated_at=now)
    connection.execute(statement.on_conflict_do_update(
        index_elements=["trainee_id", "exercise_id"], set_={"updated_at": now}))


def _changed(obj, columns) -> bool:
    """Has any of these attributes of a pending object changed since it was loaded?"""
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in columns)


@event.listens_for(Session, "after_flush")
def _keep_best_scores(session: Session, _flush_context) -> None:
    """After each flush, refresh the rows whose figures the flushed changes may have changed (same transaction)."""
    pairs: set[tuple[int, int]] = set()
    submission_ids: set[int] = set()
    stage_ids: set[int] = set()
    exercise_ids: set[int] = set()
    for obj in chain(session.new, session.deleted):
        # Read from the instance's own values: a deleted row cannot be loaded again.
        values = inspect(obj).dict
        if isinstance(obj, Submission):
            pairs.add((values.get("trainee_id"), values.get("exercise_id")))
        elif isinstance(obj, ScoreOverride):
            submission_ids.add(values.get("submission_id"))
    for obj in session.dirty:
        if isinstance(obj, Submission) and _changed(obj, WATCHED_SUBMISSION_COLUMNS):
            pairs.add((obj.trainee_id, obj.exercise_id))
        elif isinstance(obj, ScoreOverride) and _changed(obj, ("score", "submission_id")):
            submission_ids.add(obj.submission_id)
        elif isinstance(obj, Stage) and _changed(obj, ("pass_threshold",)):
            stage_ids.add(obj.id)
        elif isinstance(obj, Exercise) and _changed(obj, ("stage_id",)):
            exercise_ids.add(obj.id)
    if not (pairs or submission_ids or stage_ids or exercise_ids):
        return
    connection = session.connection()
    submission_ids.discard(None)
    if submission_ids:
        pairs.update(tuple(row) for row in connection.execute(
            select(Submission.trainee_id, Submission.exercise_id).where(Submission.id.in_(submission_ids))))
    refresh_pairs(connection, pairs)
    if stage_ids:
        exercise_ids.update(connection.scalars(select(Exercise.id).where(Exercise.stage_id.in_(stage_ids))))
    refresh_exercises(connection, exercise_ids)
