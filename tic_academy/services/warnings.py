"""Early warning: the daily job that turns signals about trainees into a mentor's action.

Once a day ``run_daily`` finds, for every active trainee of a running cohort, the conditions in
``warning_signals`` (no activity, behind the plan, the same test failing, many Runs and no Check,
slow to pass, a stage deadline near). Then:

- a new condition becomes a ``WarningSignal`` with a queue item (kind "warning") for the trainee's
  mentor, and, when reminders are on, one kind reminder to the trainee (in the app and by email);
- a condition found again changes nothing but its figures (one signal per trainee, kind and
  exercise or stage: the signal's ``active_key`` is unique);
- a condition no longer found closes its signal and item ("cleared");
- a mentor closes a signal by recording what they did (``record_action``, audited); it does not
  reopen while the same condition lasts.

The thresholds are site settings an admin changes on a page (``load_settings`` / ``save_settings``).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from typing import Optional

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import links
from ..clock import now_utc, today_wib
from ..enums import CohortStatus, EnrollmentStatus, ItemKind, ItemStatus
from ..extensions import db
from ..models import Cohort, Enrollment, ReviewItem, SiteSetting, User
from ..models.signals import RunCount, WarningSignal
from . import ServiceError, audit, warning_signals as found
from .notifications import mark_read_by_link, notify
from .progress import progress_of_trainees

# --- settings ---------------------------------------------------------------------


@dataclass(frozen=True)
class WarningSettings:
    """The thresholds of the early warning (site settings; these defaults until an admin changes them)."""

    #: No activity for this many working days.
    inactive_workdays: int = 3
    #: Behind the week plan by this many required exercises.
    behind_exercises: int = 3
    #: The same test failed in this many submissions in a row.
    failed_in_a_row: int = 5
    #: This many Runs of one exercise in a week, without a Check or submission.
    runs_without_check: int = 20
    #: Still not passed after this many times the cohort's median time to first pass.
    slow_factor: float = 3.0
    #: A stage's deadline within this many working days.
    deadline_workdays: int = 3
    #: Send the trainee one kind reminder per new signal (in the app and by email).
    reminders: bool = True


#: The lowest value each threshold may take (a 0 would flag everybody).
MINIMUMS = {"inactive_workdays": 1, "behind_exercises": 1, "failed_in_a_row": 2, "runs_without_check": 2,
            "slow_factor": 1.0, "deadline_workdays": 1}
_PREFIX = "warnings."


def load_settings() -> WarningSettings:
    """The stored thresholds (defaults for those never set, or stored unreadable)."""
    stored = {row.key[len(_PREFIX):]: row.value for row in db.session.scalars(
        select(SiteSetting).where(SiteSetting.key.like(_PREFIX + "%")))}
    values = {}
    for item in fields(WarningSettings):
        if item.name not in stored:
            continue
        try:
            values[item.name] = _parse(item.name, stored[item.name])
        except ValueError:
            continue  # a hand-edited row must not stop the job: the default applies
    return WarningSettings(**values)


def _parse(name: str, text: str):
    """A stored value in its field's type."""
    if name == "reminders":
        return text == "1"
    if name == "slow_factor":
        return float(text)
    return int(text)


def save_settings(new: WarningSettings, actor: User, ip: Optional[str] = None) -> None:
    """Store the thresholds after checking them; a change is audited."""
    for name, lowest in MINIMUMS.items():
        if getattr(new, name) < lowest:
            raise ServiceError(_("Each threshold must be at least %(lowest)s.", lowest=lowest))
    old = load_settings()
    for name, value in asdict(new).items():
        row = db.session.get(SiteSetting, _PREFIX + name)
        if row is None:
            row = SiteSetting(key=_PREFIX + name, value="")
            db.session.add(row)
        row.value = ("1" if value else "0") if isinstance(value, bool) else str(value)
        row.updated_by_id = actor.id
    if old != new:
        audit.record("warnings.settings_changed", actor=actor, ip=ip, **asdict(new))
    db.session.commit()


# --- recording Runs ------------------------------------------------------------------


def count_run(trainee_id: int, exercise_id: int, mode: str, now: Optional[datetime] = None) -> None:
    """Add one Run (``mode`` "run") or Check to today's counter of the trainee and exercise (commits)."""
    day = today_wib(now)
    column = RunCount.checks if mode == "check" else RunCount.runs
    where = (RunCount.trainee_id == trainee_id, RunCount.exercise_id == exercise_id, RunCount.day == day)
    updated = db.session.execute(update(RunCount).where(*where).values({column: column + 1})).rowcount
    if not updated:
        row = RunCount(trainee_id=trainee_id, exercise_id=exercise_id, day=day,
                       runs=0 if mode == "check" else 1, checks=1 if mode == "check" else 0)
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:  # another request made today's row first: count on it
            db.session.execute(update(RunCount).where(*where).values({column: column + 1}))
    db.session.commit()


# --- the daily job ------------------------------------------------------------------


@dataclass
class DailyRun:
    """What one run of the daily job did."""

    trainees: int = 0
    opened: int = 0
    cleared: int = 0
    reminded: int = 0
    still_open: int = 0


def active_enrollments() -> list[Enrollment]:
    """Active enrollments of running cohorts, with what the signals read (a fixed number of queries)."""
    return list(db.session.scalars(
        select(Enrollment).join(Cohort)
        .where(Cohort.status == CohortStatus.RUNNING, Enrollment.status == EnrollmentStatus.ACTIVE)
        .options(selectinload(Enrollment.cohort).selectinload(Cohort.track), selectinload(Enrollment.trainee))
    ))


def find_all(enrollments: list[Enrollment], settings: WarningSettings, now: datetime) -> list[found.Finding]:
    """Every condition of every given trainee, in a fixed number of queries."""
    today = today_wib(now)
    stages = progress_of_trainees([(e.trainee_id, e.cohort.track) for e in enrollments])
    return (
        found.find_inactive(enrollments, now, settings.inactive_workdays)
        + found.find_behind_pace(enrollments, stages, today, settings.behind_exercises)
        + found.find_test_streaks(enrollments, stages, settings.failed_in_a_row)
        + found.find_runs_without_check(enrollments, today, settings.runs_without_check)
        + found.find_slow_passes(enrollments, stages, now, settings.slow_factor)
        + found.find_deadlines(enrollments, stages, now, settings.deadline_workdays)
    )


def run_daily(settings: Optional[WarningSettings] = None, now: Optional[datetime] = None) -> DailyRun:
    """Find the signals, open new ones, clear those that went away, remind trainees once (commits)."""
    settings = settings or load_settings()
    now = now or now_utc()
    enrollments = active_enrollments()
    findings = {f.key: f for f in (find_all(enrollments, settings, now) if enrollments else [])}
    result = DailyRun(trainees=len(enrollments))
    known = _refresh_known(findings, now, result)
    new = [finding for key, finding in findings.items() if key not in known]
    enrollment_of = {e.trainee_id: e for e in enrollments}
    _open_all(new, enrollment_of, now)
    result.opened = len(new)
    if settings.reminders:
        result.reminded = _remind_each_trainee_once(new, now)
    _tell_mentors([enrollment_of[f.trainee_id].mentor_id for f in new])
    db.session.commit()
    result.still_open = db.session.scalar(
        select(func.count()).select_from(WarningSignal).where(WarningSignal.closed_at.is_(None)))
    return result


def _refresh_known(findings: dict[str, found.Finding], now: datetime, result: DailyRun) -> set[str]:
    """Update the signals whose condition is found again, clear the others; returns the known keys.

    Known signals are read as plain rows and changed in bulk statements: on a usual morning
    nearly all of them are found again, and loading each as an object would cost seconds.
    """
    rows = db.session.execute(select(WarningSignal.id, WarningSignal.active_key, WarningSignal.data)
                              .where(WarningSignal.active_key.is_not(None))).all()
    changed = [{"id": id_, "data": findings[key].data} for id_, key, data in rows
               if key in findings and data != findings[key].data]
    if changed:
        db.session.execute(update(WarningSignal), changed)
    gone = [id_ for id_, key, _data in rows if key not in findings]
    for start in range(0, len(gone), 500):
        for signal in db.session.scalars(select(WarningSignal).where(WarningSignal.id.in_(gone[start:start + 500]))):
            _clear(signal, now)
    result.cleared = len(gone)
    db.session.flush()
    db.session.execute(update(WarningSignal).where(WarningSignal.active_key.is_not(None)).values(seen_at=now))
    return {key for _id, key, _data in rows}


def _open_all(findings: list[found.Finding], enrollment_of: dict[int, Enrollment], now: datetime) -> None:
    """New signals, each with an item in the queue of the trainee's mentor, in bulk statements (caller commits).

    A first run may open tens of thousands: the items are inserted returning their ids in the order
    of the findings (``sort_by_parameter_order``), the signals in one executemany.
    """
    if not findings:
        return
    item_ids = db.session.scalars(
        insert(ReviewItem).returning(ReviewItem.id, sort_by_parameter_order=True),
        [{"kind": ItemKind.WARNING, "trainee_id": f.trainee_id, "mentor_id": enrollment_of[f.trainee_id].mentor_id,
          "cohort_id": enrollment_of[f.trainee_id].cohort_id, "exercise_id": f.exercise_id, "created_at": now}
         for f in findings],
    ).all()
    db.session.execute(insert(WarningSignal), [
        {"trainee_id": f.trainee_id, "kind": f.kind, "exercise_id": f.exercise_id, "stage_id": f.stage_id,
         "active_key": f.key, "data": f.data, "item_id": item_id, "created_at": now, "seen_at": now}
        for f, item_id in zip(findings, item_ids)])


def _remind_each_trainee_once(findings: list[found.Finding], now: datetime) -> int:
    """One reminder per trainee and run, about their first new signal (SIGNAL_KINDS order); returns how many.

    Several at once would read as a scolding; a signal is never reminded about twice.
    """
    first: dict[int, found.Finding] = {}
    for finding in findings:
        best = first.get(finding.trainee_id)
        if best is None or found.SIGNAL_KINDS.index(finding.kind) < found.SIGNAL_KINDS.index(best.kind):
            first[finding.trainee_id] = finding
    keys = [finding.key for finding in first.values()]
    for start in range(0, len(keys), 500):
        for signal in db.session.scalars(select(WarningSignal).where(WarningSignal.active_key.in_(keys[start:start + 500]))
                                         .options(selectinload(WarningSignal.trainee))):
            _remind(signal, now)
    return len(keys)


def _tell_mentors(mentor_ids: list[Optional[int]]) -> None:
    """One notification per mentor and run with the number of new signals (not one per signal)."""
    count: dict[int, int] = {}
    for mentor_id in mentor_ids:
        if mentor_id is not None:
            count[mentor_id] = count.get(mentor_id, 0) + 1
    for mentor in db.session.scalars(select(User).where(User.id.in_(list(count)))):
        notify(mentor, "warning.new", links.path("mentor.home"), count=count[mentor.id])


def _clear(signal: WarningSignal, now: datetime) -> None:
    """The condition went away: forget its key, and close the signal and its item if still open."""
    signal.active_key = None
    if signal.closed_at is None:
        signal.closed_at, signal.closed_how = now, "cleared"
        _close_item(signal, now, None)


def _close_item(signal: WarningSignal, now: datetime, by: Optional[User]) -> None:
    """Close the signal's queue item and mark the mentor's notifications about it read."""
    item = signal.item
    if item is not None and item.status == ItemStatus.OPEN:
        item.status, item.resolved_at = ItemStatus.DONE, now
        item.resolved_by_id = by.id if by is not None else None
        mark_read_by_link(links.path("mentor.open_item", item_id=item.id))


#: Reminder notification kind per signal kind (services/notifications.py words them kindly).
REMINDER_KINDS = {kind: f"warning.{kind}" for kind in found.SIGNAL_KINDS}


def _remind(signal: WarningSignal, now: datetime) -> None:
    """One kind reminder to the trainee about a new signal (never a second one)."""
    if signal.reminded_at is not None:
        return
    notify(signal.trainee, REMINDER_KINDS[signal.kind], links.path("trainee.home"))
    signal.reminded_at = now


# --- the mentor's action ---------------------------------------------------------------

#: What a mentor did about a signal.
ACTIONS = {
    "called": _l("Called the trainee"),
    "messaged": _l("Sent a message"),
    "adjusted_plan": _l("Adjusted the plan"),
    "other": _l("Something else"),
}


def record_action(signal: WarningSignal, mentor: User, action: str, note: str, ip: Optional[str] = None) -> None:
    """Close an open signal with what the mentor did (a note is required for "other"); audited."""
    note = (note or "").strip()
    if action not in ACTIONS:
        raise ServiceError(_("Choose what you did."))
    if action == "other" and not note:
        raise ServiceError(_("Write a short note on what you did."))
    if len(note) > 2000:
        raise ServiceError(_("The note is too long (at most 2000 characters)."))
    if signal.closed_at is not None:
        raise ServiceError(_("This warning is already closed."))
    now = now_utc()
    signal.closed_at, signal.closed_how = now, "handled"
    signal.action, signal.action_note, signal.action_by_id = action, note, mentor.id
    _close_item(signal, now, mentor)
    audit.record("warning.handled", actor=mentor, obj=signal, ip=ip, trainee_id=signal.trainee_id,
                 kind=signal.kind, what=action)
    db.session.commit()


# --- what pages show -------------------------------------------------------------------

#: A short name of each signal kind.
KIND_LABELS = {
    found.INACTIVE: _l("No activity"),
    found.BEHIND_PACE: _l("Behind the plan"),
    found.TEST_STREAK: _l("Same test failing"),
    found.RUNS_NO_CHECK: _l("Runs without Check"),
    found.SLOW_PASS: _l("Slow to pass"),
    found.DEADLINE: _l("Stage deadline near"),
}


def reason(signal: WarningSignal, locale: str = "id") -> str:
    """The reason in plain words (current language), from the figures stored with the signal."""
    data = signal.data or {}
    exercise = signal.exercise.title(locale) if signal.exercise else ""
    workdays = _number(data.get("workdays"))
    if signal.kind == found.INACTIVE:
        if data.get("never"):
            return _("No activity since the cohort started (%(workdays)s working days).", workdays=workdays)
        return _("No activity for %(workdays)s working days (last on %(since)s).",
                 workdays=workdays, since=_day(data.get("since")))
    if signal.kind == found.BEHIND_PACE:
        return _("Behind the week plan by %(behind)s required exercises (week %(week)s).",
                 behind=data.get("behind"), week=data.get("week"))
    if signal.kind == found.TEST_STREAK:
        return _("Test %(test)s of %(exercise)s failed %(times)s times in a row.",
                 test=data.get("title") or data.get("test"), exercise=exercise, times=data.get("times"))
    if signal.kind == found.RUNS_NO_CHECK:
        return _("%(runs)s Runs of %(exercise)s in %(days)s days without a Check or submission.",
                 runs=data.get("runs"), exercise=exercise, days=data.get("days"))
    if signal.kind == found.SLOW_PASS:
        return _("%(exercise)s not passed after %(workdays)s working days; the cohort's median is %(median)s.",
                 exercise=exercise, workdays=workdays, median=_number(data.get("median")))
    stage = signal.stage.title(locale) if signal.stage else ""
    return _("Stage %(stage)s is not passed and its deadline is %(deadline)s (%(workdays)s working days left).",
             stage=stage, deadline=_day(data.get("deadline")), workdays=workdays)


def _number(value) -> str:
    """A figure such as 4.0 or 2.5 in the reader's locale, without a needless ".0" ("4", "2,5")."""
    return format_decimal(value, "#,##0.#") if isinstance(value, (int, float)) else "—"


def _day(text) -> str:
    """A stored ISO date ("2026-12-06") as the pages write dates ("6 Des 2026")."""
    try:
        return format_date(date.fromisoformat(text), "d MMM yyyy")
    except (TypeError, ValueError):
        return "—"


def signal_of_item(item_id: int) -> Optional[WarningSignal]:
    """The signal behind a queue item of kind "warning"."""
    return db.session.scalar(select(WarningSignal).where(WarningSignal.item_id == item_id))


def open_signals_of_opd(opd_id: int) -> list[WarningSignal]:
    """Open signals about the OPD's staff, oldest first."""
    return list(db.session.scalars(
        select(WarningSignal).join(User, User.id == WarningSignal.trainee_id)
        .where(User.opd_id == opd_id, WarningSignal.closed_at.is_(None))
        .order_by(WarningSignal.created_at, WarningSignal.id)
        .options(selectinload(WarningSignal.trainee), selectinload(WarningSignal.exercise),
                 selectinload(WarningSignal.stage))
    ))


def open_counts_for_mentor(mentor_id: int) -> dict[int, int]:
    """Open signals per trainee whose items wait for this mentor (the badge on "Peserta saya")."""
    rows = db.session.execute(
        select(WarningSignal.trainee_id, func.count())
        .join(ReviewItem, ReviewItem.id == WarningSignal.item_id)
        .where(ReviewItem.mentor_id == mentor_id, WarningSignal.closed_at.is_(None))
        .group_by(WarningSignal.trainee_id)
    )
    return {trainee_id: count for trainee_id, count in rows}

