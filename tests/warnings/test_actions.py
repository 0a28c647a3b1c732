"""The early warning's outcome: a mentor's recorded action closes a signal (audited); a reminder goes out once."""
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tic_academy.extensions import db
from tic_academy.models import AuditEvent, Notification, OutboxMessage
from tic_academy.services import ServiceError, warnings
from tic_academy.services.warnings import WarningSettings

from .conftest import NOW
from .test_signals import QUIET, open_signals, signals


def count(model, *where):
    """Rows of ``model`` matching ``where``."""
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_mentor_action_closes_and_is_audited(trainee, mentor):
    """Does recording "called" close the signal and its item, audited, and not reopen while the condition lasts?"""
    warnings.run_daily(QUIET, NOW)
    [signal] = open_signals("deadline", trainee)
    warnings.record_action(signal, mentor, "called", "Sudah ditelepon, akan mengejar hari Jumat.")
    assert signal.closed_how == "handled" and signal.action == "called"
    assert signal.item.status == "done" and signal.item.resolved_by_id == mentor.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "warning.handled"))
    assert event.actor_id == mentor.id and event.detail["what"] == "called"
    warnings.run_daily(QUIET, NOW + timedelta(hours=1))
    assert signals("deadline", trainee) == [signal], "a handled signal must not reopen while its condition lasts"


def test_handled_signal_comes_back_after_clearing(trainee, mentor, track, make_submission):
    """After the condition cleared, does it open a new signal when it comes back?"""
    warnings.run_daily(QUIET, NOW)
    [signal] = open_signals("deadline", trainee)
    warnings.record_action(signal, mentor, "messaged", "")
    assert signal.active_key is not None
    make_submission(trainee, track.stages[0].exercises[0], score=10)
    warnings.run_daily(QUIET, NOW)
    assert signal.active_key is None


@pytest.mark.parametrize("action, note", [("shouted", "x"), ("other", "  "), ("called", "x" * 2001)])
def test_bad_action_is_refused_and_changes_nothing(trainee, mentor, action, note):
    """Are an unknown action, "other" without a note and a too-long note refused, leaving the signal open?"""
    warnings.run_daily(QUIET, NOW)
    [signal] = open_signals("deadline", trainee)
    with pytest.raises(ServiceError):
        warnings.record_action(signal, mentor, action, note)
    db.session.rollback()
    assert signal.closed_at is None and signal.item.status == "open"


def test_reminder_sent_once(trainee):
    """Does the trainee get one kind reminder (in the app and by email) per signal, not one per run?"""
    warnings.run_daily(WarningSettings(), NOW)
    assert count(Notification, Notification.user_id == trainee.id, Notification.kind == "warning.deadline") == 1
    assert count(OutboxMessage, OutboxMessage.recipient == trainee.email) == 1
    warnings.run_daily(WarningSettings(), NOW + timedelta(hours=1))
    assert count(Notification, Notification.user_id == trainee.id) == 1
    assert count(OutboxMessage, OutboxMessage.recipient == trainee.email) == 1
    [signal] = open_signals("deadline", trainee)
    assert signal.reminded_at is not None


def test_reminder_words_are_kind_and_indonesian(trainee):
    """Is the reminder written in Indonesian, without blaming words?"""
    warnings.run_daily(WarningSettings(), NOW)
    note = db.session.scalar(select(Notification).where(Notification.user_id == trainee.id))
    assert "mentor" in note.text and "tahap" in note.text.lower()
    for harsh in ("gagal", "malas", "terlambat", "peringatan"):
        assert harsh not in note.text.lower()


def test_reminders_can_be_switched_off(trainee):
    """With reminders off, does the trainee get nothing while the mentor still gets the item?"""
    warnings.run_daily(replace(WarningSettings(), reminders=False), NOW)
    assert count(Notification, Notification.user_id == trainee.id) == 0
    assert count(OutboxMessage, OutboxMessage.recipient == trainee.email) == 0
    assert open_signals("deadline", trainee)


def test_mentor_told_once_per_run(trainee, enrol, mentor):
    """Does the mentor get one notification for all new signals of a run, not one per signal?"""
    enrol()
    warnings.run_daily(QUIET, NOW)
    assert count(Notification, Notification.user_id == mentor.id, Notification.kind == "warning.new") == 1


def test_settings_stored_checked_and_audited(app, make_user):
    """Are thresholds stored as site settings, refused below their minimum, and a change audited?"""
    admin = make_user(role="admin")
    assert warnings.load_settings() == WarningSettings()
    changed = replace(WarningSettings(), inactive_workdays=5, slow_factor=2.5, reminders=False)
    warnings.save_settings(changed, admin)
    assert warnings.load_settings() == changed
    assert count(AuditEvent, AuditEvent.action == "warnings.settings_changed") == 1
    with pytest.raises(ServiceError):
        warnings.save_settings(replace(changed, failed_in_a_row=0), admin)
    assert warnings.load_settings() == changed


def test_one_reminder_per_trainee_and_run(enrol):
    """With two new signals at once (no activity, stage deadline), does the trainee get one reminder, about the first?"""
    trainee = enrol(last_login_at=NOW - timedelta(days=6))
    run = warnings.run_daily(WarningSettings(), NOW)
    assert run.opened == 2 and run.reminded == 1
    [note] = db.session.scalars(select(Notification).where(Notification.user_id == trainee.id)).all()
    assert note.kind == "warning.inactive"
    assert count(OutboxMessage, OutboxMessage.recipient == trainee.email) == 1
