"""The trainee's (peserta) pages: home, curriculum, the exercise workspace and its JSON endpoints."""
from . import api, hints, project_editor, projects, routes  # noqa: F401 - the route modules attach their views to bp
from .blueprint import bp

__all__ = ["bp"]
