"""The mentor's pages, and redirects from the discussion pages' old addresses under /mentor."""
from . import moved, routes, shapes, warnings  # noqa: F401 - the route modules attach their views to bp
from .blueprint import bp

__all__ = ["bp"]
