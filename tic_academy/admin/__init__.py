"""The program admin's pages: OPDs, users, outbox, audit log."""
from . import audit_words, curriculum, insight, mentoring, program, routes, sso, warnings  # noqa: F401 - the route modules attach their views to bp
from .blueprint import bp

__all__ = ["bp"]
