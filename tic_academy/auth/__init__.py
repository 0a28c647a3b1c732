"""Logging in and out, passwords, invitations, language choice."""
from . import routes, sso, tokens  # noqa: F401 - the route modules attach their views to bp
from .blueprint import bp

__all__ = ["bp"]
