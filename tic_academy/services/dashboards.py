"""Dashboard figures for a cohort: per trainee, per OPD and for the whole city.

Everything is computed from a fixed number of SQL queries, however many
trainees a cohort has: the best score and first pass of every trainee ×
exercise come from one query on the best-score table (models/best_scores.py),
never from regrouping the submissions, and the progress rules
(``services.progress``) are then applied in memory.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, datetime, timedelta
from typing import Optional

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased, joinedload

from ..enums import CohortStatus, EnrollmentStatus, NOMINATION_PLACED, NominationStatus, PaceStatus, Role, SignOffStatus
from ..extensions import db
from ..models import BestScore, Exercise, ExerciseVersion, Opd, SignOff, Stage, Track, User
from ..models.program import Cohort, Enrollment, Nomination
from ..clock import start_of_day_wib, today_wib
from ..models.types import UTCDateTime
from . import progress
from .mentor_assignment import mentor_load
from .review_queue import response_times
from .progress import Pace, StageProgress

#: Nomination states that count as "nominated" (handed in at some point).
NOMINATED = (NominationStatus.SUBMITTED, NominationStatus.APPROVED, NominationStatus.WAITLISTED,
             NominationStatus.REJECTED, NominationStatus.ENROLLED)


@dataclass(frozen=True, slots=True)
class ExerciseFacts:
    """What the progress rules read of an exercise; plain attributes are much faster
    than ORM ones when the rules run 50,000 times for a large cohort."""

    id: int
    required: bool
    week: int
    must_pass: bool = False


@dataclass
class TraineeRow:
    """One enrolled trainee's standing, as the dashboards and exports show it."""

    enrollment_id: int
    trainee_id: int
    name: str
    email: str
    opd_id: Optional[int]
    opd_name: str
    mentor_name: Optional[str]
    status: str
    last_login_at: Optional[datetime]
    stages: list[StageProgress]
    pace: Pace
    last_submission_at: Optional[datetime]
    #: exercise id -> the program week in which it was first passed.
    first_pass_week: dict[int, int] = field(default_factory=dict)

    @cached_property
    def passed_stages(self) -> int:
        """Number of stages passed."""
        return sum(1 for s in self.stages if s.state == progress.PASSED)

    @cached_property
    def current_stage(self) -> Optional[Stage]:
        """The stage the trainee works on (None when every stage is passed)."""
        row = progress.current_stage(self.stages)
        return row.stage if row else None

    @cached_property
    def all_passed(self) -> bool:
        """Has the trainee passed every stage of the track?"""
        return bool(self.stages) and self.passed_stages == len(self.stages)

    @property
    def graduated(self) -> bool:
        """Has the graduation been confirmed?"""
        return self.status == EnrollmentStatus.GRADUATED

    @cached_property
    def points(self) -> float:
        """Sum of the best scores over every exercise."""
        return round(sum(e.best_score or 0.0 for s in self.stages for e in s.exercises), 1)

    @cached_property
    def progress(self) -> float:
        """Share (0..1) of the track's required points earned."""
        required = [e for s in self.stages for e in s.exercises if e.exercise.required and e.max_score > 0]
        total = sum(e.max_score for e in required)
        if not total:
            return 0.0
        return sum((e.best or 0.0) * e.max_score for e in required) / total

    @property
    def on_track(self) -> bool:
        """Not behind the pace plan."""
        return self.pace.status != PaceStatus.BEHIND

    @property
    def last_active(self) -> Optional[datetime]:
        """The later of the last login and the last submission."""
        moments = [m for m in (self.last_login_at, self.last_submission_at) if m is not None]
        return max(moments) if moments else None


@dataclass
class Summary:
    """Averages over a group of trainees (an OPD, or the whole city)."""

    trainees: int
    active: int
    on_track_share: float
    average_progress: float
    average_passed_stages: float
    passed_stages: int
    graduated: int


@dataclass
class CohortFigures:
    """Everything the dashboards need about one cohort."""

    cohort: Cohort
    today: date
    stages: list[Stage]
    #: (exercise id, planned week) of the required exercises.
    required: list[tuple[int, int]]
    trainees: list[TraineeRow]

    @property
    def week(self) -> int:
        """The current week of the cohort (0 when planned; the last week once finished)."""
        if self.cohort.status == CohortStatus.PLANNED:
            return 0
        return min(self.cohort.week_on(self.today), self.cohort.track.weeks)

    def of_opd(self, opd_id: int) -> list[TraineeRow]:
        """The trainees of one OPD."""
        return [row for row in self.trainees if row.opd_id == opd_id]


def load_cohort(cohort: Cohort, today: Optional[date] = None, only: Optional[set[int]] = None) -> CohortFigures:
    """Compute every trainee's progress in ``cohort`` with a fixed number of queries.

    ``only``: the trainee ids to evaluate (e.g. the graduation page's candidates); everyone when None.
    """
    today = today or today_wib()
    stages = list(
        db.session.scalars(
            select(Stage).where(Stage.track_id == cohort.track_id, ~Stage.retired).order_by(Stage.position)
        )
    )
    exercise_rows = db.session.execute(
        select(Exercise, ExerciseVersion.max_score)
        .join(Stage, Stage.id == Exercise.stage_id)
        .outerjoin(ExerciseVersion, ExerciseVersion.id == Exercise.current_version_id)
        .where(Stage.track_id == cohort.track_id, ~Stage.retired, ~Exercise.retired)
        .order_by(Exercise.position)
    ).all()
    by_stage: dict[int, list[tuple[ExerciseFacts, float]]] = {}
    for exercise, max_score in exercise_rows:
        facts = ExerciseFacts(exercise.id, exercise.required, exercise.week, exercise.must_pass)
        by_stage.setdefault(exercise.stage_id, []).append((facts, max_score or 0.0))
    thresholds = {e.id: stage.pass_threshold for stage in stages for e, _ in by_stage.get(stage.id, [])}
    enrollments = _enrollments(cohort)
    scores, last_submitted = _submission_figures(cohort, thresholds, [row.trainee_id for row in enrollments])
    signoffs = _approved_signoffs(cohort)
    stage_exercises = [(stage, by_stage.get(stage.id, [])) for stage in stages]
    trainees = []
    for row in enrollments:
        if only is not None and row.trainee_id not in only:
            continue
        own = scores.get(row.trainee_id, {})
        best = {exercise_id: share for exercise_id, (share, _) in own.items() if share is not None}
        stage_rows = progress.evaluate_stages(stage_exercises, best, set(), signoffs.get(row.trainee_id, set()))
        trainees.append(
            TraineeRow(
                enrollment_id=row.enrollment_id,
                trainee_id=row.trainee_id,
                name=row.full_name,
                email=row.email,
                opd_id=row.opd_id,
                opd_name=row.opd_name or "—",
                mentor_name=row.mentor_name,
                status=row.status,
                last_login_at=row.last_login_at,
                stages=stage_rows,
                pace=progress.pace(cohort, stage_rows, today),
                last_submission_at=last_submitted.get(row.trainee_id),
                first_pass_week={eid: week for eid, (_, week) in own.items() if week is not None},
            )
        )
    required = [(e.id, e.week) for e, _ in exercise_rows if e.required]
    return CohortFigures(cohort, today, stages, required, trainees)


def graduation_candidates(cohorts: list[Cohort], mentor_id: Optional[int] = None) -> dict[int, set[int]]:
    """cohort id -> the active trainees who may have passed every stage (of ``mentor_id`` when given).

    A cheap filter before the graduation page evaluates the progress rules: passing
    every stage needs at least each stage's threshold share of its required points,
    so a trainee whose best points over the track's required exercises add up to
    less than the sum of those shares cannot have passed. One query for the
    trainees and one per track for their best points, instead of every trainee
    of every cohort through the full rules.
    """
    query = select(Enrollment.cohort_id, Enrollment.trainee_id).where(
        Enrollment.cohort_id.in_([c.id for c in cohorts]), Enrollment.status == EnrollmentStatus.ACTIVE)
    if mentor_id is not None:
        query = query.where(Enrollment.mentor_id == mentor_id)
    trainees_of: dict[int, set[int]] = {}
    for cohort_id, trainee_id in db.session.execute(query):
        trainees_of.setdefault(cohort_id, set()).add(trainee_id)
    result: dict[int, set[int]] = {}
    for track_id in {c.track_id for c in cohorts}:
        in_track = {c.id for c in cohorts if c.track_id == track_id and c.id in trainees_of}
        trainee_ids = set().union(*(trainees_of[c] for c in in_track))
        if not trainee_ids:
            continue
        points = {}  # required exercise -> its points
        needed = 0.0
        for stage in progress.active_stages(db.session.get(Track, track_id)):
            required = {e.id: e.current_version.max_score for e in stage.exercises
                        if e.required and not e.retired and e.current_version and e.current_version.max_score > 0}
            points.update(required)
            needed += stage.pass_threshold * sum(required.values())
        earned = dict(db.session.execute(
            select(BestScore.trainee_id, func.sum(BestScore.best_share * case(points, value=BestScore.exercise_id)))
            .where(BestScore.trainee_id.in_(trainee_ids), BestScore.exercise_id.in_(list(points)))
            .group_by(BestScore.trainee_id)
        ).all()) if points else {}
        for cohort_id in in_track:
            result[cohort_id] = {t for t in trainees_of[cohort_id] if (earned.get(t) or 0.0) >= needed - 1e-6}
    return result


def _enrollments(cohort: Cohort):
    """Plain rows (no ORM objects: a large cohort has a thousand) of everyone in the cohort, by name (one query)."""
    mentor = aliased(User)
    return db.session.execute(
        select(
            Enrollment.id.label("enrollment_id"), Enrollment.status, User.id.label("trainee_id"), User.full_name,
            User.email, User.opd_id, User.last_login_at, Opd.short_name.label("opd_name"),
            mentor.full_name.label("mentor_name"),
        )
        .join(User, User.id == Enrollment.trainee_id)
        .outerjoin(Opd, Opd.id == User.opd_id)
        .outerjoin(mentor, mentor.id == Enrollment.mentor_id)
        .where(Enrollment.cohort_id == cohort.id, Enrollment.status != EnrollmentStatus.WITHDRAWN)
        .order_by(func.lower(User.full_name))
    ).all()


#: The last figures read per (database, cohort): (key, newest best-score stamp read, scores, last submissions).
_figures_cache: dict[tuple[str, int], tuple] = {}
#: Cohorts whose figures are kept (the oldest entry goes first); a program runs a few cohorts at a time.
FIGURES_CACHE_SIZE = 32
#: How far back before the newest row already read a cached entry reads again, so a transaction that
#: stamped its rows earlier but committed later (its flush-to-commit time; a grading's or a review's is
#: milliseconds) or a writer whose clock is a little behind is not missed. For this long after a
#: rebuild of the table (every row stamped at once) a catch-up reads everything again.
CATCH_UP_MARGIN = timedelta(seconds=30)


def _submission_figures(cohort: Cohort, thresholds: dict[int, float], trainee_ids: list[int]):
    """(best scores, last submissions) of the cohort's trainees: read once, then kept up to date from
    the best-score rows written since.

    Reading a large cohort's 50,000 best-score rows is most of a dashboard's
    first view (bench/dashboards.py), so an entry per (database URL, cohort) keeps
    them. Every change to a best-score row gives it a newer ``updated_at``, and
    rows are not deleted while the app runs (a pair whose last submission goes
    keeps a row with no figures; ``flask rebuild-best-scores`` drops only such
    empty rows and restamps every other one), so on the next view only the rows
    whose ``updated_at`` is at or after the entry's newest (less a margin) are read
    again and applied: a handful after a grading. When the rest of the key changes
    (the cohort's dates, thresholds or trainees), everything is read again.
    Threads may race to fill an entry; entries are replaced, never changed in place.
    """
    key = (cohort.start_date, cohort.track.weeks, tuple(sorted(thresholds.items())), frozenset(trainee_ids))
    newest = db.session.scalar(select(func.max(BestScore.updated_at)))
    where = (db.engine.url.render_as_string(hide_password=True), cohort.id)
    cached = _figures_cache.get(where)
    if cached is not None and cached[0] == key and cached[1] is not None:
        if cached[1] == newest:
            return cached[2], cached[3]
        scores, last_submitted = _caught_up(cohort, thresholds, cached[2], cached[3], cached[1] - CATCH_UP_MARGIN)
    else:
        scores, last_submitted = _scores(cohort, thresholds), _last_submissions(cohort)
    _figures_cache.pop(where, None)
    _figures_cache[where] = (key, newest, scores, last_submitted)
    while len(_figures_cache) > FIGURES_CACHE_SIZE:
        _figures_cache.pop(next(iter(_figures_cache)), None)
    return scores, last_submitted


def _caught_up(cohort: Cohort, thresholds: dict[int, float], scores: dict, last_submitted: dict, since):
    """Copies of cached figures with the best-score rows written since ``since`` applied (two small queries)."""
    changed = _scores(cohort, thresholds, since)
    scores = dict(scores)
    for trainee_id, exercises in changed.items():
        scores[trainee_id] = {**scores.get(trainee_id, {}), **exercises}
    last_submitted = dict(last_submitted)
    last_submitted.update(_last_submissions(cohort, since))
    return scores, last_submitted


def clear_figures_cache() -> None:
    """Forget every cohort's cached figures (tests that build a new database under the same URL)."""
    _figures_cache.clear()


def _scores(cohort: Cohort, thresholds: dict[int, float], since: Optional[datetime] = None
            ) -> dict[int, dict[int, tuple[Optional[float], Optional[int]]]]:
    """trainee -> exercise -> (best share, week of the first pass), in one query on the best-score table
    (only the rows written at or after ``since`` when given).

    ``thresholds`` maps the track's exercise ids to their stage's pass threshold
    (the table's first pass is already worked out at that threshold). The week is
    worked out in SQL by comparing with the week boundaries (plain parameters, so
    the same SQL runs on SQLite and PostgreSQL), which keeps the 50,000 rows of a
    large cohort small and free of timestamps to parse.
    """
    if not thresholds:
        return {}
    weeks = cohort.track.weeks
    first_pass = BestScore.first_pass_at
    week = case(
        (first_pass.is_(None), None),
        *[(first_pass < _week_end(cohort, w), w) for w in range(1, weeks + 1)],
        else_=weeks + 1,
    )
    query = (
        select(BestScore.trainee_id, BestScore.exercise_id, BestScore.best_share, week)
        .join(Enrollment, and_(Enrollment.trainee_id == BestScore.trainee_id, Enrollment.cohort_id == cohort.id))
    )
    if since is None:
        query = query.where(BestScore.exercise_id.in_(list(thresholds)))
    else:
        # Only the time condition in SQL, so the planner walks the updated_at index (a few rows).
        query = query.where(BestScore.updated_at >= since)
    result: dict[int, dict] = {}
    # A plain connection result: no ORM processing of 50,000 rows.
    for trainee_id, exercise_id, best, first_week in db.session.connection().execute(query):
        if exercise_id in thresholds:
            result.setdefault(trainee_id, {})[exercise_id] = (None if best is None else float(best), first_week)
    return result


def _week_end(cohort: Cohort, week: int) -> datetime:
    """The first moment after ``week`` of the cohort (midnight in WIB, the program's clock)."""
    return start_of_day_wib(cohort.start_date + timedelta(days=7 * week))


def _last_submissions(cohort: Cohort, since: Optional[datetime] = None) -> dict[int, datetime]:
    """trainee -> their latest submission of any kind (one grouped query on the best-score table); with
    ``since``, only for the trainees with a row written at or after it (their whole history is read again)."""
    query = (
        select(BestScore.trainee_id, func.max(BestScore.last_submitted_at, type_=UTCDateTime()))
        .join(Enrollment, and_(Enrollment.trainee_id == BestScore.trainee_id, Enrollment.cohort_id == cohort.id))
        .group_by(BestScore.trainee_id)
    )
    if since is not None:
        touched = select(BestScore.trainee_id).where(BestScore.updated_at >= since)
        query = query.where(BestScore.trainee_id.in_(touched))
    return dict(db.session.execute(query).all())


def _approved_signoffs(cohort: Cohort) -> dict[int, set[int]]:
    """trainee -> stages a mentor approved (one query)."""
    rows = db.session.execute(
        select(SignOff.trainee_id, SignOff.stage_id)
        .join(Enrollment, and_(Enrollment.trainee_id == SignOff.trainee_id, Enrollment.cohort_id == cohort.id))
        .where(SignOff.status == SignOffStatus.APPROVED)
    ).all()
    result: dict[int, set[int]] = {}
    for trainee_id, stage_id in rows:
        result.setdefault(trainee_id, set()).add(stage_id)
    return result


# --- Aggregates -------------------------------------------------------------


def summarise(rows: list[TraineeRow]) -> Summary:
    """Averages over ``rows`` (zeros for an empty group)."""
    active = [r for r in rows if r.status == EnrollmentStatus.ACTIVE]
    count = len(rows)
    return Summary(
        trainees=count,
        active=len(active),
        on_track_share=(sum(1 for r in active if r.on_track) / len(active)) if active else 0.0,
        average_progress=(sum(r.progress for r in rows) / count) if count else 0.0,
        average_passed_stages=(sum(r.passed_stages for r in rows) / count) if count else 0.0,
        passed_stages=sum(r.passed_stages for r in rows),
        graduated=sum(1 for r in rows if r.graduated),
    )


def weekly_series(figures: CohortFigures, rows: list[TraineeRow]) -> dict:
    """Per week so far: the plan and the group's average share of required exercises passed (%)."""
    weeks = list(range(1, figures.week + 1))
    total = len(figures.required)
    required_ids = [eid for eid, _ in figures.required]
    passed_in_week = [0] * (len(weeks) + 2)
    for row in rows:
        for eid in required_ids:
            week = row.first_pass_week.get(eid)
            if week is not None and week <= len(weeks):
                passed_in_week[week] += 1
    plan, actual, done = [], [], 0
    for week in weeks:
        planned = sum(1 for _, w in figures.required if w <= week)
        plan.append(round(100 * planned / total, 1) if total else 0.0)
        done += passed_in_week[week]
        actual.append(round(100 * done / (total * len(rows)), 1) if rows and total else 0.0)
    return {"weeks": weeks, "plan": plan, "actual": actual}


def nomination_counts(cohort_id: Optional[int], opd_id: Optional[int] = None) -> dict[int, dict[str, int]]:
    """opd -> status -> number of nominations (one grouped query)."""
    query = select(Nomination.opd_id, Nomination.status, func.count()).group_by(Nomination.opd_id, Nomination.status)
    if cohort_id is not None:
        query = query.where(Nomination.cohort_id == cohort_id)
    if opd_id is not None:
        query = query.where(Nomination.opd_id == opd_id)
    result: dict[int, dict[str, int]] = {}
    for row_opd, status, count in db.session.execute(query):
        result.setdefault(row_opd, {})[status] = count
    return result


def nominations_waiting(cohort_id: Optional[int] = None) -> int:
    """Submitted nominations waiting for the admin's decision, in one cohort or in all of them."""
    query = select(func.count()).select_from(Nomination).where(Nomination.status == NominationStatus.SUBMITTED)
    if cohort_id is not None:
        query = query.where(Nomination.cohort_id == cohort_id)
    return db.session.scalar(query)


@dataclass
class OpdLine:
    """One OPD's line in the city view."""

    opd_id: int
    name: str
    nominated: int
    approved: int
    summary: Summary


def opd_lines(figures: CohortFigures) -> list[OpdLine]:
    """Per OPD with nominations or trainees in the cohort: the city table's figures."""
    counts = nomination_counts(figures.cohort.id)
    opd_ids = set(counts) | {r.opd_id for r in figures.trainees if r.opd_id is not None}
    names = dict(db.session.execute(select(Opd.id, Opd.short_name).where(Opd.id.in_(opd_ids))).all())
    lines = []
    for opd_id in opd_ids:
        statuses = counts.get(opd_id, {})
        lines.append(
            OpdLine(
                opd_id=opd_id,
                name=names.get(opd_id, "—"),
                nominated=sum(statuses.get(s, 0) for s in NOMINATED),
                approved=sum(statuses.get(s, 0) for s in NOMINATION_PLACED),
                summary=summarise(figures.of_opd(opd_id)),
            )
        )
    return sorted(lines, key=lambda line: line.name.lower())


def funnel(figures: CohortFigures, lines: list[OpdLine], locale: str) -> list[tuple[str, int]]:
    """Nominated → approved → active → each stage passed → graduated."""
    steps = [
        ("nominated", sum(line.nominated for line in lines)),
        ("approved", sum(line.approved for line in lines)),
        ("active", len(figures.trainees)),
    ]
    for position, stage in enumerate(figures.stages):
        passed = sum(1 for r in figures.trainees if len(r.stages) > position and r.stages[position].state == progress.PASSED)
        steps.append((stage.title(locale), passed))
    steps.append(("graduated", sum(1 for r in figures.trainees if r.graduated)))
    return steps


def cohort_overview() -> list[tuple[Cohort, int]]:
    """Every cohort with its number of enrolled trainees (two queries)."""
    enrolled = dict(
        db.session.execute(
            select(Enrollment.cohort_id, func.count())
            .where(Enrollment.status != EnrollmentStatus.WITHDRAWN)
            .group_by(Enrollment.cohort_id)
        ).all()
    )
    cohorts = db.session.scalars(
        select(Cohort).options(joinedload(Cohort.track)).order_by(Cohort.start_date.desc())
    ).all()
    return [(cohort, enrolled.get(cohort.id, 0)) for cohort in cohorts]


@dataclass
class MentorLine:
    """A mentor's load and how fast they handle their review queue."""

    name: str
    trainees: int
    #: Queue items (reviews, sign-offs, help requests, flags) handled in the period.
    handled: int
    #: Median working days from an item's arrival to its handling.
    median_workdays: Optional[float]


def mentor_lines(days: int = 30) -> list[MentorLine]:
    """Active trainees per mentor in running cohorts, and their median response time (three queries)."""
    load = mentor_load()
    times = response_times(days)
    mentors = db.session.scalars(select(User).where(User.role == Role.MENTOR).order_by(User.full_name)).all()
    return [
        MentorLine(
            name=m.full_name,
            trainees=load.get(m.id, 0),
            handled=times[m.id].handled if m.id in times else 0,
            median_workdays=times[m.id].median_workdays if m.id in times else None,
        )
        for m in mentors
    ]


def default_cohort(cohorts: list[Cohort]) -> Optional[Cohort]:
    """The cohort a dashboard opens on: the newest running one, else the newest."""
    running = [c for c in cohorts if c.status == CohortStatus.RUNNING]
    pool = running or cohorts
    return max(pool, key=lambda c: (c.start_date, c.id)) if pool else None


def cohorts_of_opd(opd_id: int) -> list[Cohort]:
    """Cohorts in which an OPD has trainees or nominations (one query)."""
    with_trainees = (
        select(Enrollment.cohort_id).join(User, User.id == Enrollment.trainee_id).where(User.opd_id == opd_id)
    )
    with_nominations = select(Nomination.cohort_id).where(Nomination.opd_id == opd_id)
    return list(
        db.session.scalars(
            select(Cohort)
            .options(joinedload(Cohort.track))
            .where(Cohort.id.in_(with_trainees.union(with_nominations)))
            .order_by(Cohort.start_date.desc())
        )
    )
