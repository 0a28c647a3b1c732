"""Request helpers every blueprint uses: the client's address and safe redirect targets."""
from urllib.parse import urlsplit

from flask import request


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
