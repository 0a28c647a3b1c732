"""Exercise insight for curriculum authors: where trainees get stuck, per exercise, per test and per stage.

Definitions (the page explains each in plain Indonesian):

- *Population*: trainees enrolled (active or graduated, not withdrawn) in the chosen cohorts; by
  default every running cohort. An exercise counts the trainees of cohorts on its own track.
- *Attempt*: a graded submit-mode submission that counts for progress (``Submission.counts_for_progress``:
  not held for a mentor). Check-mode gradings are practice and are not attempts.
- *Pass*: as ``services/progress.py`` defines it: a counted submission whose share (mentor's override,
  0 for a confirmed violation) reaches the stage's threshold. The *first pass* is the earliest one.
- *Attempts before the first pass*: counted attempts before it (0 = passed on the first attempt);
  median and p90 (nearest rank) over the trainees who passed.
- *First open*: the earliest of the trainee's first check or submission and their draft's save time
  (a draft records only its last save, so for a draft this is an upper bound).
- *Drop-off*: trainees who opened the exercise and have not passed it.
- *Failed first*: the first failing test (lowest position whose status is not "passed") of a trainee's
  first counted submission that had a failing test; its share is over the trainees with such a submission.
- *Failure messages*: what the trainee saw for a failing test, grouped by its message code; author
  messages by their text, exceptions by their type, and an explanation hint (unfilled cell, syntax
  error, earlier failure) by its code, since the hint is what the test list shows instead.

Per stage, the same figures are rolled up: attempts and hours pooled over every (trainee, exercise)
first pass of the stage; a stage is passed when its threshold is met as ``progress.evaluate_stages``
computes it (a mentor's sign-off is not needed here).

Everything is computed in a fixed number of grouped queries per track (the exercise page adds one
windowed query for the test failed first); medians are taken in Python over per-trainee figures.
The overview's figures are cached while a data stamp holds (``_data_stamp``), as in dashboards.py.
"""
from __future__ import annotations

import json
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Optional

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import Text, and_, case, cast, func, select, type_coerce
from sqlalchemy.orm import aliased
from sqlalchemy.types import NullType

from ..enums import CohortStatus, EnrollmentStatus
from ..extensions import db
from ..grading import MESSAGE_CODES
from ..models import Cohort, Draft, Enrollment, Exercise, HintReveal, ScoreOverride, Stage, Submission, TestResult, Track, User
from . import exports, progress
from .test_display import hint_text, message_text, task_title

#: How many anonymised sample answers a failing test links to ("Jawaban A", "B", "C").
SAMPLE_COUNT = 3
SAMPLE_LABELS = "ABCDEFGHIJ"
#: Hints that the test list shows instead of the test's own message (services/test_display.shown_test).
SHOWN_HINTS = ("unfilled", "syntax", "earlier_failure")
#: A result status that is not a pass.
PASSED = "passed"


# --- Figures -----------------------------------------------------------------------------------------


def median(values: list[float]) -> Optional[float]:
    """The median, or None for no values."""
    return statistics.median(values) if values else None


def p90(values: list[float]) -> Optional[float]:
    """The 90th percentile by nearest rank (a value that occurred), or None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


def share(part: int, whole: int) -> Optional[float]:
    """part / whole, or None when whole is 0."""
    return part / whole if whole else None


@dataclass
class Figures:
    """The figures of one exercise or one stage."""

    enrolled: int = 0
    opened: int = 0
    passed: int = 0
    #: Per trainee who passed (per trainee and exercise for a stage): counted attempts before the first pass.
    attempts: list[int] = field(default_factory=list)
    #: Per trainee who passed: hours from first open to the first pass.
    hours: list[float] = field(default_factory=list)
    #: Trainees who revealed at least one hint, and how many hints they revealed in all.
    hint_users: int = 0
    hints_revealed: int = 0

    def copy(self) -> dict:
        """The figures as keyword arguments, with lists of their own (cached figures stay as they are)."""
        return {"enrolled": self.enrolled, "opened": self.opened, "passed": self.passed,
                "attempts": list(self.attempts), "hours": list(self.hours),
                "hint_users": self.hint_users, "hints_revealed": self.hints_revealed}

    @property
    def pass_share(self) -> Optional[float]:
        """Share of the enrolled trainees who passed."""
        return share(self.passed, self.enrolled)

    @property
    def dropped(self) -> int:
        """Trainees who opened and have not passed."""
        return max(self.opened - self.passed, 0)

    @property
    def drop_share(self) -> Optional[float]:
        """Share of those who opened that have not passed."""
        return share(self.dropped, self.opened)

    @property
    def attempts_median(self) -> Optional[float]:
        """Median attempts before the first pass."""
        return median(self.attempts)

    @property
    def attempts_p90(self) -> Optional[float]:
        """90th percentile of attempts before the first pass."""
        return p90(self.attempts)

    @property
    def hours_median(self) -> Optional[float]:
        """Median hours from first open to the first pass (one decimal)."""
        value = median(self.hours)
        return None if value is None else round(value, 1)


@dataclass
class ExerciseRow(Figures):
    """One exercise's figures, with the test that most often failed first."""

    exercise: Optional[Exercise] = None
    stage: Optional[Stage] = None
    #: grade_id -> trainees whose first failing test it was.
    first_failed: Counter = field(default_factory=Counter)

    @property
    def top_first_failed(self) -> Optional[str]:
        """The test that failed first most often (ties: the first by name)."""
        if not self.first_failed:
            return None
        return min(self.first_failed.items(), key=lambda item: (-item[1], item[0]))[0]


@dataclass
class StageRow(Figures):
    """One stage's figures, rolled up over its exercises."""

    stage: Optional[Stage] = None
    exercises: list[ExerciseRow] = field(default_factory=list)


@dataclass
class TrackInsight:
    """A track's stages and exercises in the chosen cohorts."""

    track: Track
    stages: list[StageRow]

    @property
    def exercises(self) -> list[ExerciseRow]:
        """Every exercise row, in curriculum order."""
        return [row for stage in self.stages for row in stage.exercises]


def chosen_cohorts(cohort_id: Optional[int]) -> list[Cohort]:
    """The one cohort asked for, or every running cohort (empty when the id is unknown)."""
    query = select(Cohort).order_by(Cohort.start_date, Cohort.id)
    if cohort_id is not None:
        return list(db.session.scalars(query.where(Cohort.id == cohort_id)))
    return list(db.session.scalars(query.where(Cohort.status == CohortStatus.RUNNING)))


def population(cohort_ids: list[int], track_id: int):
    """A SELECT of the trainee ids enrolled (not withdrawn) in those cohorts of the track."""
    return (
        select(Enrollment.trainee_id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(Enrollment.cohort_id.in_(cohort_ids), Cohort.track_id == track_id,
               Enrollment.status != EnrollmentStatus.WITHDRAWN)
        .distinct()
    )


def track_insight(cohorts: list[Cohort]) -> list[TrackInsight]:
    """Per track of the cohorts: every active stage and exercise with its figures."""
    tracks: dict[int, Track] = {}
    for cohort in cohorts:
        tracks.setdefault(cohort.track_id, cohort.track)
    cohort_ids = [c.id for c in cohorts]
    return [_one_track(track, cohort_ids) for track in tracks.values()]


def _one_track(track: Track, cohort_ids: list[int]) -> TrackInsight:
    """The figures of one track's stages and exercises (computed, or from the cache while valid)."""
    stage_exercises = [
        (stage, [(e, e.current_version.max_score if e.current_version else 0.0) for e in stage.exercises if not e.retired])
        for stage in progress.active_stages(track)
    ]
    trainees = population(cohort_ids, track.id)
    trainee_ids = list(db.session.scalars(trainees))
    curriculum = tuple((stage.id, stage.pass_threshold, tuple(e.id for e, _points in rows)) for stage, rows in stage_exercises)
    key = (frozenset(trainee_ids), curriculum, _data_stamp())
    where = (db.engine.url.render_as_string(hide_password=True), tuple(cohort_ids), track.id)
    cached = _figures_cache.get(where)
    if cached is not None and cached[0] == key:
        figures = cached[1]
    else:
        figures = _compute(stage_exercises, trainees, trainee_ids)
        _figures_cache.pop(where, None)
        _figures_cache[where] = (key, figures)
        while len(_figures_cache) > FIGURES_CACHE_SIZE:
            _figures_cache.pop(next(iter(_figures_cache)), None)
    stages = []
    for stage, rows in stage_exercises:
        stage_row = StageRow(stage=stage, **figures[("stage", stage.id)].copy())
        stage_row.exercises = [ExerciseRow(exercise=e, stage=stage, **figures[("exercise", e.id)].copy()) for e, _points in rows]
        stages.append(stage_row)
    return TrackInsight(track=track, stages=stages)


#: The last figures per (database, cohorts, track): (key they were computed for, {("exercise"|"stage", id): Figures}).
_figures_cache: dict[tuple, tuple] = {}
#: Entries kept (the oldest goes first): a few cohort filters are in use at a time.
FIGURES_CACHE_SIZE = 16


def clear_cache() -> None:
    """Forget every cached figure (tests that build a new database under the same URL)."""
    _figures_cache.clear()


def _data_stamp() -> tuple:
    """Changes whenever a submission is added, graded, cleared or confirmed, a score overridden or a draft saved.

    As in services/dashboards.py (bench/insight.py showed the need: the grouped scans over every
    submission are most of the overview's time), a cached entry is used only while its key holds: the
    trainees, the stages' thresholds and exercises, and this stamp.
    """
    submissions = db.session.execute(select(
        func.max(Submission.id), func.max(Submission.graded_at), func.max(Submission.integrity_decided_at)
    )).one()
    overrides = db.session.execute(select(func.count(ScoreOverride.id), func.max(ScoreOverride.created_at))).one()
    drafts = db.session.execute(select(func.max(Draft.id), func.max(Draft.updated_at))).one()
    hints = db.session.scalar(select(func.max(HintReveal.id)))
    return (*submissions, *overrides, *drafts, hints)


def _compute(stage_exercises, trainees, trainee_ids: list[int]) -> dict[tuple[str, int], Figures]:
    """Every exercise's and stage's figures, from three queries and per-trainee figures in Python."""
    exercise_ids = [e.id for _stage, rows in stage_exercises for e, _points in rows]
    per_pair = attempt_figures(exercise_ids, trainees)
    opened = first_opens(exercise_ids, trainees, per_pair)
    hints = hint_counts(exercise_ids, trainees)
    best: dict[int, dict[int, float]] = {}
    for (trainee_id, exercise_id), (best_share, _passed_at, _before, _first_seen) in per_pair.items():
        if best_share is not None:
            best.setdefault(trainee_id, {})[exercise_id] = best_share
    result: dict[tuple[str, int], Figures] = {}
    for stage, rows in stage_exercises:
        stage_figures = Figures(enrolled=len(trainee_ids))
        for exercise, _points in rows:
            figures = exercise_figures(exercise.id, len(trainee_ids), per_pair, opened.get(exercise.id, {}))
            figures.hint_users = len(hints.get(exercise.id, {}))
            figures.hints_revealed = sum(hints.get(exercise.id, {}).values())
            stage_figures.attempts += figures.attempts
            stage_figures.hours += figures.hours
            stage_figures.hints_revealed += figures.hints_revealed
            result[("exercise", exercise.id)] = figures
        stage_ids = [e.id for e, _points in rows]
        openers = [t for t in trainee_ids if any(t in opened.get(exercise_id, {}) for exercise_id in stage_ids)]
        stage_figures.opened = len(openers)
        stage_figures.hint_users = len({t for exercise_id in stage_ids for t in hints.get(exercise_id, {})})
        # A stage is passed as progress decides it (a mentor's sign-off aside); only those who opened it can pass it.
        stage_figures.passed = sum(
            1 for t in openers if progress.evaluate_stages([(stage, rows)], best.get(t, {}), set(), set())[0].threshold_met
        )
        result[("stage", stage.id)] = stage_figures
    return result


def hint_counts(exercise_ids: list[int], trainees) -> dict[int, dict[int, int]]:
    """exercise -> {trainee: hints revealed} for these trainees (hints on request, models.work.HintReveal)."""
    rows = db.session.execute(
        select(HintReveal.exercise_id, HintReveal.trainee_id, func.count(HintReveal.id))
        .where(HintReveal.exercise_id.in_(exercise_ids), HintReveal.trainee_id.in_(trainees))
        .group_by(HintReveal.exercise_id, HintReveal.trainee_id)
    )
    counts: dict[int, dict[int, int]] = {}
    for exercise_id, trainee_id, count in rows:
        counts.setdefault(exercise_id, {})[trainee_id] = count
    return counts


def exercise_figures(exercise_id: int, enrolled: int, per_pair: dict, opens: dict) -> Figures:
    """One exercise's figures from the per-trainee figures."""
    figures = Figures(enrolled=enrolled, opened=len(opens))
    for trainee_id, first_open in opens.items():
        _best, passed_at, before, _first_seen = per_pair.get((trainee_id, exercise_id), (None, None, 0, None))
        if passed_at is None:
            continue
        figures.passed += 1
        figures.attempts.append(before)
        figures.hours.append(max((as_utc(passed_at) - as_utc(first_open)).total_seconds(), 0) / 3600)
    return figures


def as_utc(value) -> Optional[datetime]:
    """A moment read without the column type's conversion (tens of thousands of rows: much faster), made aware.

    SQLite gives text ("2026-11-02 01:00:00.000000"), PostgreSQL a datetime; both are UTC.
    """
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _counted(exercise_ids: list[int], trainees):
    """The WHERE conditions of counted attempts of these exercises by these trainees."""
    return (Submission.counts_for_progress, Submission.exercise_id.in_(exercise_ids), Submission.trainee_id.in_(trainees))


def attempt_figures(exercise_ids: list[int], trainees) -> dict[tuple[int, int], tuple]:
    """(trainee, exercise) -> (best share, first pass, attempts before it, first submission), in one query.

    The best share is None without a counted attempt; the first pass is None when not passed; the first
    submission is of any mode (a check too). Moments are as the database gave them (see as_utc). Plain
    tuples: tens of thousands are made per overview.

    The trainee's submissions are grouped per pair (best counted share, earliest passing one, earliest
    of all); for each pair a correlated count, on the (trainee, exercise) index, gives the counted
    attempts before that pass. bench/insight.py: cheaper than a window over every submission or a
    second grouped scan.
    """
    if not exercise_ids:
        return {}
    counted = Submission.counts_for_progress
    passing = and_(counted, Submission.share >= Stage.pass_threshold - 1e-9)
    firsts = (
        select(
            Submission.trainee_id.label("trainee_id"), Submission.exercise_id.label("exercise_id"),
            func.max(case((counted, Submission.share))).label("best"),
            func.min(case((passing, Submission.created_at))).label("passed_at"),
            func.min(Submission.created_at).label("first_seen"),
        )
        .join(Exercise, Exercise.id == Submission.exercise_id)
        .join(Stage, Stage.id == Exercise.stage_id)
        .outerjoin(ScoreOverride, ScoreOverride.submission_id == Submission.id)
        .where(Submission.exercise_id.in_(exercise_ids), Submission.trainee_id.in_(trainees))
        .group_by(Submission.trainee_id, Submission.exercise_id)
        .subquery()
    )
    earlier = aliased(Submission)
    before = (
        select(func.count())
        .where(earlier.trainee_id == firsts.c.trainee_id, earlier.exercise_id == firsts.c.exercise_id,
               earlier.counts_for_progress, earlier.created_at < firsts.c.passed_at)
        .correlate(firsts)
        .scalar_subquery()
    )
    # Moments are read as they come (no column type); exercise_figures converts only those it needs (as_utc).
    query = select(firsts.c.trainee_id, firsts.c.exercise_id, firsts.c.best,
                   type_coerce(firsts.c.passed_at, NullType()), before, type_coerce(firsts.c.first_seen, NullType()))
    result: dict[tuple[int, int], tuple] = {}
    for trainee_id, exercise_id, best, passed_at, count, first_seen in db.session.execute(query):
        result[(trainee_id, exercise_id)] = (None if best is None else float(best), passed_at, count or 0, first_seen)
    return result


def first_opens(exercise_ids: list[int], trainees, per_pair: dict) -> dict[int, dict[int, object]]:
    """exercise -> trainee -> first open: the earlier of their first submission (from ``per_pair``,
    attempt_figures) and their draft's save time (one query; a draft keeps only its last save)."""
    result: dict[int, dict[int, object]] = {}
    for (trainee_id, exercise_id), (_best, _passed_at, _before, first_seen) in per_pair.items():
        result.setdefault(exercise_id, {})[trainee_id] = first_seen
    if not exercise_ids:
        return result
    drafts = select(Draft.exercise_id, Draft.trainee_id, type_coerce(Draft.updated_at, NullType())).where(
        Draft.exercise_id.in_(exercise_ids), Draft.trainee_id.in_(trainees)
    )
    for exercise_id, trainee_id, saved in db.session.execute(drafts):
        opens = result.setdefault(exercise_id, {})
        if trainee_id not in opens or as_utc(saved) < as_utc(opens[trainee_id]):
            opens[trainee_id] = saved
    return result


def first_failures(exercise_ids: list[int], trainees) -> dict[int, Counter]:
    """exercise -> Counter of the test each trainee failed first (one windowed, grouped query)."""
    if not exercise_ids:
        return {}
    ranked = (
        select(
            Submission.exercise_id, TestResult.grade_id,
            func.row_number().over(
                partition_by=(Submission.trainee_id, Submission.exercise_id),
                order_by=(Submission.created_at, Submission.id, TestResult.position, TestResult.grade_id),
            ).label("n"),
        )
        .join(TestResult, TestResult.submission_id == Submission.id)
        .where(*_counted(exercise_ids, trainees), TestResult.status != PASSED)
        .subquery()
    )
    query = (
        select(ranked.c.exercise_id, ranked.c.grade_id, func.count())
        .where(ranked.c.n == 1)
        .group_by(ranked.c.exercise_id, ranked.c.grade_id)
    )
    result: dict[int, Counter] = {}
    for exercise_id, grade_id, count in db.session.execute(query):
        result.setdefault(exercise_id, Counter())[grade_id] = count
    return result


# --- One exercise: its tests and messages ---------------------------------------------------------------


@dataclass
class TestRow:
    """One test (or project task, or rule) of an exercise."""

    __test__ = False  # not a pytest test class

    grade_id: str
    title: str
    position: int
    #: Trainees whose first failing test this was.
    failed_first: int
    #: Share of the trainees who ever had a failing test in a counted attempt.
    failed_first_share: Optional[float]
    #: Trainees who failed it at least once.
    ever_failed: int
    #: Failing results over all counted attempts.
    failures: int
    #: The most common failure message of this test ("" when it never failed).
    top_message: str = ""


@dataclass
class MessageRow:
    """A failure message as trainees saw it, grouped."""

    #: The group (message_key): its code and what tells messages of that code apart.
    key: tuple[str, str]
    text: str
    trainees: int
    failures: int
    tests: list[str]


@dataclass
class ExerciseDetail:
    """An exercise's row with its tests and its most common failure messages."""

    row: ExerciseRow
    tests: list[TestRow]
    messages: list[MessageRow]
    #: Trainees with at least one counted attempt that failed a test (the base of failed_first_share).
    stumbled: int

    @property
    def clearer_instruction(self) -> Optional[TestRow]:
        """The test with the highest first-failure rate, if any test failed first."""
        candidates = [t for t in self.tests if t.failed_first]
        return max(candidates, key=lambda t: (t.failed_first, -t.position)) if candidates else None


def exercise_detail(exercise: Exercise, cohorts: list[Cohort]) -> ExerciseDetail:
    """The figures of one exercise for the trainees of the cohorts on its track."""
    track = exercise.stage.track
    cohort_ids = [c.id for c in cohorts if c.track_id == track.id]
    trainees = population(cohort_ids, track.id)
    enrolled = db.session.scalar(select(func.count()).select_from(trainees.subquery()))
    per_pair = attempt_figures([exercise.id], trainees)
    figures = exercise_figures(exercise.id, enrolled, per_pair,
                               first_opens([exercise.id], trainees, per_pair).get(exercise.id, {}))
    row = ExerciseRow(exercise=exercise, stage=exercise.stage, **figures.copy())
    row.first_failed = first_failures([exercise.id], trainees).get(exercise.id, Counter())
    stats = db.session.execute(
        select(
            TestResult.grade_id,
            func.min(TestResult.position),
            func.max(TestResult.title),
            func.max(TestResult.title_en),
            func.count(func.distinct(case((TestResult.status != PASSED, Submission.trainee_id)))),
            func.sum(case((TestResult.status != PASSED, 1), else_=0)),
        )
        .join(Submission, Submission.id == TestResult.submission_id)
        .where(*_counted([exercise.id], trainees))
        .group_by(TestResult.grade_id)
    ).all()
    # The same message of the same trainee comes once with its count (JSON as text: PostgreSQL cannot group json).
    failures = db.session.execute(
        select(TestResult.grade_id, TestResult.status, cast(TestResult.message, Text), cast(TestResult.hint, Text),
               Submission.trainee_id, func.count())
        .join(Submission, Submission.id == TestResult.submission_id)
        .where(*_counted([exercise.id], trainees), TestResult.status != PASSED)
        .group_by(TestResult.grade_id, TestResult.status, cast(TestResult.message, Text), cast(TestResult.hint, Text),
                  Submission.trainee_id)
    ).all()
    stumbled = sum(row.first_failed.values())
    groups: dict[tuple, dict] = {}
    per_test: dict[str, Counter] = {}
    for grade_id, status, message_json, hint_json, trainee_id, count in failures:
        hint = json.loads(hint_json) if hint_json else None
        key = message_key(status, json.loads(message_json) if message_json else None, hint)
        if key not in groups:
            groups[key] = {"text": _group_text(key, hint), "trainees": set(), "failures": 0, "tests": []}
        group = groups[key]
        group["trainees"].add(trainee_id)
        group["failures"] += count
        if grade_id not in group["tests"]:
            group["tests"].append(grade_id)
        per_test.setdefault(grade_id, Counter())[key] += count
    for group in groups.values():
        group["tests"].sort()
    tests = []
    for grade_id, position, title, title_en, ever_failed, failure_count in stats:
        top = per_test.get(grade_id)
        top_key = min(top.items(), key=lambda item: (-item[1], str(item[0])))[0] if top else None
        tests.append(TestRow(
            grade_id=grade_id,
            title=task_title({"title": title, "title_en": title_en}) or grade_id,
            position=position,
            failed_first=row.first_failed.get(grade_id, 0),
            failed_first_share=share(row.first_failed.get(grade_id, 0), stumbled),
            ever_failed=ever_failed,
            failures=int(failure_count or 0),
            top_message=groups[top_key]["text"] if top_key else "",
        ))
    tests.sort(key=lambda t: (t.position, t.grade_id))
    messages = [
        MessageRow(key=key, text=g["text"], trainees=len(g["trainees"]), failures=g["failures"], tests=g["tests"])
        for key, g in groups.items()
    ]
    messages.sort(key=lambda m: (-m.trainees, -m.failures, m.text))
    return ExerciseDetail(row=row, tests=tests, messages=messages, stumbled=stumbled)


def message_key(status: str, message, hint) -> tuple[str, str]:
    """The group of a failure message: its code, and what tells messages of that code apart.

    Values that differ per trainee (an exception's text, the compared values, a pytest detail) are
    dropped, so "NameError: name 'x' is not defined" and "... 'y' ..." fall in one group, "NameError".
    """
    hint_code = (hint or {}).get("code")
    if hint_code in SHOWN_HINTS and status in ("failed", "error"):
        return ("hint:" + hint_code, "")
    if not message:
        return ("status:" + status, "")
    if isinstance(message, str):
        return ("legacy", message)  # a result stored before message codes
    code, params = message.get("code") or "", message.get("params") or {}
    if code in ("author", "legacy"):
        return (code, str(params.get("text") or ""))
    if code in ("exception", "setup_error"):
        return (code, str(params.get("ename") or ""))
    if code == "compare":
        return (code, str(params.get("note") or ""))
    return (code, "")


def _group_text(key: tuple[str, str], hint) -> str:
    """A group's words in the reader's language; values that differ per trainee are shown as "…"."""
    code, detail = key
    if code.startswith("hint:"):
        return hint_text(hint)  # worded from the group's first hint
    if code.startswith("status:"):
        return message_text({"code": "test_failed", "params": {}})
    if code in ("author", "legacy"):
        return detail
    params = {name: "…" for name in MESSAGE_CODES.get(code, ())}
    params.update({"note": "", "inside": ""})  # optional parts: left out
    if code in ("exception", "setup_error"):
        params["ename"] = detail
        if code == "exception":
            params["evalue"] = ""  # words it as the exception's type alone
    if code == "compare":
        params["note"] = detail
    return message_text({"code": code, "params": params})


# --- Anonymised sample answers -----------------------------------------------------------------------------


@dataclass
class Sample:
    """A failing answer with no name, email or OPD: "Jawaban A" and its answer cells' code."""

    label: str
    #: [(answer cell id, code)] in the submission's order.
    cells: list[tuple[str, str]]


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
HIDDEN = "[disembunyikan]"


def sample_answers(exercise: Exercise, grade_id: str, cohorts: list[Cohort]) -> list[Sample]:
    """Up to SAMPLE_COUNT answers (one per trainee, their latest) that failed ``grade_id``, anonymised.

    Names, emails and the OPD of the writer are replaced where the code quotes them, as is any email.
    """
    cohort_ids = [c.id for c in cohorts if c.track_id == exercise.stage.track_id]
    trainees = population(cohort_ids, exercise.stage.track_id)
    rows = db.session.execute(
        select(Submission.id, Submission.trainee_id)
        .join(TestResult, TestResult.submission_id == Submission.id)
        .where(*_counted([exercise.id], trainees), TestResult.grade_id == grade_id, TestResult.status != PASSED)
        .order_by(Submission.created_at.desc(), Submission.id.desc())
        .limit(200)
    ).all()
    chosen: dict[int, int] = {}
    for submission_id, trainee_id in rows:
        if trainee_id not in chosen:
            chosen[trainee_id] = submission_id
        if len(chosen) == SAMPLE_COUNT:
            break
    samples = []
    for n, submission_id in enumerate(sorted(chosen.values())):
        submission = db.session.get(Submission, submission_id)
        secrets = _personal_words(submission.trainee)
        cells = [(str(cell), anonymise(str(code or ""), secrets)) for cell, code in (submission.answers or {}).items()]
        samples.append(Sample(label=SAMPLE_LABELS[n], cells=cells))
    return samples


def _personal_words(user: User) -> list[str]:
    """The words that would name a trainee: full name, its parts, email, OPD names."""
    words = [user.full_name or "", user.email or ""]
    words += [part for part in (user.full_name or "").split() if len(part) >= 3]
    if user.opd is not None:
        words += [user.opd.name or "", user.opd.short_name or "", user.opd.code or ""]
    return sorted({w for w in words if len(w) >= 3}, key=len, reverse=True)


def anonymise(code: str, secrets: list[str]) -> str:
    """The code with every email and each of ``secrets`` (case-insensitive) replaced by "[disembunyikan]"."""
    code = EMAIL.sub(HIDDEN, code)
    for word in secrets:
        code = re.sub(re.escape(word), HIDDEN, code, flags=re.IGNORECASE)
    return code


# --- Sorting -----------------------------------------------------------------------------------------


def sort_rows(rows: list, value: Callable, descending: bool) -> list:
    """Rows sorted by ``value``; rows without a value always last."""
    present = [r for r in rows if value(r) is not None]
    missing = [r for r in rows if value(r) is None]
    return sorted(present, key=value, reverse=descending) + missing


# --- Tables: columns, sorting and CSV ---------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of an insight table, shared by the page, its sort links and the CSV export.

    ``kind`` says how a value is shown: "text", "count", "share" (0..1), "number" or "hours".
    One more column (e.g. hints used) is one more entry in the list, and one more figure on the row.
    """

    key: str
    label: object
    #: The CSV header: always Indonesian, as in services/exports.py.
    csv_header: str
    kind: str
    value: Callable
    #: What the page shows under the header to explain the figure.
    help: object = ""


def _stage_order(row: ExerciseRow):
    """Sort key of the curriculum order."""
    return (row.stage.position, row.exercise.position)


EXERCISE_COLUMNS = [
    Column("urutan", _l("Exercise"), "Latihan", "text", _stage_order),
    Column("terdaftar", _l("Enrolled"), "Peserta terdaftar", "count", lambda r: r.enrolled),
    Column("membuka", _l("Opened"), "Membuka", "count", lambda r: r.opened),
    Column("tuntas", lazy_pgettext("exercise", "Passed"), "Tuntas (%)", "share", lambda r: r.pass_share),
    Column("percobaan", _l("Attempts before passing (median)"), "Percobaan sebelum tuntas (median)", "number",
           lambda r: r.attempts_median),
    Column("percobaan-p90", _l("Attempts before passing (p90)"), "Percobaan sebelum tuntas (p90)", "number",
           lambda r: r.attempts_p90),
    Column("jam", _l("Hours from first open to pass (median)"), "Jam dari dibuka sampai tuntas (median)", "hours",
           lambda r: r.hours_median),
    Column("berhenti", _l("Drop-off"), "Berhenti (%)", "share", lambda r: r.drop_share),
    Column("petunjuk", _l("Used hints"), "Memakai petunjuk (peserta)", "count", lambda r: r.hint_users),
    Column("petunjuk-dibuka", _l("Hints revealed"), "Petunjuk dibuka", "count", lambda r: r.hints_revealed),
]
COLUMN_KEYS = {c.key: c for c in EXERCISE_COLUMNS}
DEFAULT_SORT = "urutan"

TEST_CSV_HEADERS = [
    "Uji", "Tugas", "Gagal pertama (peserta)", "Gagal pertama (%)", "Pernah gagal (peserta)",
    "Jumlah hasil gagal", "Pesan tersering",
]


def sorted_exercises(rows: list[ExerciseRow], key: str, descending: bool) -> list[ExerciseRow]:
    """The exercise rows sorted by a column key (unknown keys: curriculum order)."""
    column = COLUMN_KEYS.get(key, COLUMN_KEYS[DEFAULT_SORT])
    return sort_rows(rows, column.value, descending)


def _csv_value(column: Column, row: ExerciseRow):
    """A cell of the exercise CSV: titles for the exercise, percentages with one decimal."""
    if column.key == "urutan":
        return row.exercise.title_id
    value = column.value(row)
    if column.kind == "share" and value is not None:
        return round(100 * value, 1)
    return value


def exercise_csv(insights: list[TrackInsight]) -> bytes:
    """The per-exercise table of every track as CSV (UTF-8 with BOM, formula-leading cells guarded)."""
    headers = ["Jalur", "Tahap"] + [c.csv_header for c in EXERCISE_COLUMNS]
    rows = [
        [insight.track.title_id, row.stage.title_id] + [_csv_value(c, row) for c in EXERCISE_COLUMNS]
        for insight in insights for row in insight.exercises
    ]
    return exports.to_csv(headers, rows)


def test_csv(detail: ExerciseDetail) -> bytes:
    """The per-test table of one exercise as CSV."""
    rows = [
        [t.grade_id, t.title, t.failed_first,
         None if t.failed_first_share is None else round(100 * t.failed_first_share, 1),
         t.ever_failed, t.failures, t.top_message]
        for t in detail.tests
    ]
    return exports.to_csv(TEST_CSV_HEADERS, rows)


test_csv.__test__ = False  # not a pytest test function
