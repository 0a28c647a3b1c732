"""Certificates: the public verification page, downloads, and confirming graduations."""
from . import routes  # noqa: F401 - the route modules attach their views to bp
from .blueprint import bp

__all__ = ["bp"]
