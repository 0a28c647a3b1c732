"""Outgoing email: every message lands in the outbox; SMTP sends when set up."""
import logging

from flask import current_app
from flask_mail import Message

from ..extensions import db, mail
from ..models import OutboxMessage
from ..clock import now_utc

log = logging.getLogger(__name__)


def send_email(recipient: str, subject: str, body: str) -> OutboxMessage:
    """Store a message in the outbox and send it when a mail server is set."""
    message = OutboxMessage(recipient=recipient, subject=subject, body=body)
    db.session.add(message)
    if current_app.config.get("MAIL_SERVER"):
        try:
            mail.send(Message(subject=subject, recipients=[recipient], body=body))
            message.sent_at = now_utc()
        except Exception as exc:  # SMTP down must not lose the message
            log.warning("sending mail to %s failed: %s", recipient, exc)
            message.error = str(exc)
    return message
