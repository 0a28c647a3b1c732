"""Request helpers every blueprint uses: the client's address, safe redirect targets, objects or 403."""
from urllib.parse import urlsplit

from flask import abort, request
from flask_login import current_user

from .extensions import db
from .models import Submission
from .models.mentoring import ReviewItem


def client_ip() -> str:
    """The requesting address, for the audit log."""
    return request.remote_addr or "-"


def safe_next(target: str | None) -> str | None:
    """Accept only a local path as a redirect target (no open redirects)."""
    if not target:
        return None
    # Browsers read "/\\host" as "//host", and drop tabs and newlines: refuse them all.
    if "\\" in target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def safe_next_or(target: str | None, fallback: str) -> str:
    """A local path to go back to, never another site; ``fallback`` otherwise."""
    return safe_next(target) or fallback


def review_item_or_404(item_id: int, action: str = "work") -> ReviewItem:
    """The queue item, if the current user may ``action`` it (404 when unknown, 403 otherwise)."""
    item = db.get_or_404(ReviewItem, item_id)
    if not item.can(current_user, action):
        abort(403)
    return item


def submission_or_404(submission_id: int, action: str) -> Submission:
    """The submission, if the current user may ``action`` it (404 when unknown, 403 otherwise)."""
    submission = db.get_or_404(Submission, submission_id)
    if not submission.can(current_user, action):
        abort(403)
    return submission
