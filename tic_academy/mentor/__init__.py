"""The mentor's pages, and the feedback, help and notification pages both sides use."""
from . import routes, threads  # noqa: F401 - the route modules attach their views to bp
from .blueprint import bp

__all__ = ["bp"]
