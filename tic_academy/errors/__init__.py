"""Error pages: 400 (including CSRF), 403, 404, 410, 429, 500."""
from . import handlers  # noqa: F401 - the route modules attach their views to bp
from .blueprint import bp

__all__ = ["bp"]
