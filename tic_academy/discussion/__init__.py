"""Pages every role shares: feedback threads, help requests, notifications and the bell."""
from . import routes  # noqa: F401 - the route module attaches its views to bp
from .blueprint import bp

__all__ = ["bp"]
