"""git clone, pull and push over HTTPS: trainees' project repositories served by the app itself."""
from . import routes  # noqa: F401 - the route module attaches its views to bp
from .blueprint import bp
from .cli import git_cli

__all__ = ["bp", "git_cli"]
