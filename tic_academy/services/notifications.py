"""Notifications: in the app (the bell) and, for what matters, by email through the outbox.

Each kind says its text once, in English, with the values it needs; the text is
written in the recipient's language when the notification is made.
"""
from __future__ import annotations

from typing import Optional

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from .. import links
from ..extensions import db
from ..models import User
from ..models.notices import Notification
from ..clock import now_utc
from .mail import send_email

#: kind -> (the text in the current language from the values, also sent by email?)
KINDS = {
    "review.approved": (lambda v: _("%(mentor)s approved your submission of %(exercise)s.", **v), True),
    "review.changes_requested": (lambda v: _("%(mentor)s asks for changes to %(exercise)s.", **v), True),
    "review.line_comment": (lambda v: _("%(mentor)s commented on line %(line)s of %(path)s in %(exercise)s.", **v), False),
    "message.new": (lambda v: _("%(author)s wrote in the discussion of %(subject)s.", **v), False),
    "help.new": (lambda v: _("%(trainee)s asks for help with %(exercise)s.", **v), True),
    "item.new": (lambda v: _("New in your review queue: %(what)s from %(trainee)s.", **v), False),
    "item.reassigned": (lambda v: _("An item of %(trainee)s was reassigned to you.", **v), False),
    "signoff.requested": (lambda v: _("%(trainee)s is ready for the sign-off of stage %(stage)s.", **v), True),
    "signoff.approved": (lambda v: _("Stage %(stage)s was approved: the next stage is open.", **v), True),
    "signoff.returned": (lambda v: _("Stage %(stage)s was sent back with comments.", **v), True),
    "integrity.cleared": (lambda v: _("%(mentor)s checked your submission of %(exercise)s: its score counts.", **v), True),
    "warning.new": (lambda v: _("%(count)s new early warnings about your trainees are in your queue.", **v), False),
    # Kind reminders to a trainee about an early warning (services/warnings.py): never shaming.
    "warning.inactive": (lambda v: _("We have not seen you in TIC Academy for a few days. Whenever you are ready, your next exercise is waiting, and your mentor is glad to help.", **v), True),
    "warning.behind_pace": (lambda v: _("A few exercises of the plan are still open. A little every day is enough to catch up, and your mentor can help you plan.", **v), True),
    "warning.test_streak": (lambda v: _("One test keeps failing? That happens to everyone. Read its message once more, or ask your mentor: one hint often unblocks it.", **v), True),
    "warning.runs_no_check": (lambda v: _("You have been running your code a lot. Try Check: the public tests show what is still missing.", **v), True),
    "warning.slow_pass": (lambda v: _("An exercise is taking a while. That is fine; if you are stuck, ask your mentor from the exercise page.", **v), True),
    "warning.deadline": (lambda v: _("The end of a stage is coming in a few days. Keep going; your mentor can help you decide what to do first.", **v), True),
    "integrity.confirmed": (lambda v: _("%(mentor)s confirmed an integrity violation in your submission of %(exercise)s: its score does not count.", **v), True),
}

#: How many notifications the bell lists.
RECENT = 8


def notify(user: User, kind: str, link: str = "", **values) -> Notification:
    """Tell ``user`` about something in the app, and by email when the kind says so (caller commits)."""
    make_text, by_email = KINDS[kind]
    with force_locale(user.locale or "id"):
        text = make_text(values)
        subject = _("TIC Academy notification")
        body = _("%(text)s\n\nOpen: %(url)s", text=text, url=links.absolute(link))
    note = Notification(user_id=user.id, kind=kind, text=text, link=link)
    db.session.add(note)
    if by_email and user.active:
        send_email(user.email, subject, body)
    return note


def unread_count(user_id: int) -> int:
    """How many of the user's notifications are unread."""
    return db.session.scalar(
        select(func.count()).select_from(Notification).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)
        )
    )


def recent(user_id: int, limit: int = RECENT) -> list[Notification]:
    """The user's newest notifications."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def open_notification(user_id: int, notification_id: int) -> Optional[Notification]:
    """Mark one of the user's notifications read; None when it is not theirs."""
    note = db.session.get(Notification, notification_id)
    if note is None or note.user_id != user_id:
        return None
    if note.read_at is None:
        note.read_at = now_utc()
        db.session.commit()
    return note


def mark_read_by_link(link: str) -> None:
    """Mark every unread notification that points to ``link`` read, whoever got it (caller commits).

    Used when the thing the notification is about is handled, so the bell stops counting it.
    """
    db.session.execute(
        update(Notification)
        .where(Notification.link == link, Notification.read_at.is_(None))
        .values(read_at=now_utc())
    )


def mark_all_read(user_id: int) -> None:
    """Mark every notification of the user read."""
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=now_utc())
    )
    db.session.commit()
