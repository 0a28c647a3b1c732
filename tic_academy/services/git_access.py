"""Who may reach which trainee repository over git, and how (read and write, or read only)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..models import User
from . import projects, repositories
from .enrollment import mentor_of
from ..enums import Role


@dataclass(frozen=True)
class RepositoryAccess:
    """A repository a user may reach: where it is, whose it is, and whether they may push."""

    repo: Path
    owner_id: int
    exercise_id: int
    writable: bool


def may_see_trainee(user: User, trainee_id: int) -> bool:
    """May ``user`` see this trainee's work? Admins: everyone; a mentor: the trainees they mentor now.

    The same rule as the mentor pages (``services.enrollment.mentor_of``).
    """
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.MENTOR and mentor_of(trainee_id) == user.id


def repository_access(user: User, owner_id: int, exercise_id: int, root: Path) -> Optional[RepositoryAccess]:
    """The access ``user`` has to repository ``owner_id``/``exercise_id``, or None (answered as "not found").

    The owner reads and writes (the repository is created from the template on first use); a mentor
    or admin who may see the trainee reads only, and only a repository that already exists.
    """
    if user.id == owner_id:
        repo = projects.repository_for(user, exercise_id, root)
        return RepositoryAccess(repo, owner_id, exercise_id, writable=True) if repo is not None else None
    if may_see_trainee(user, owner_id):
        repo = repositories.repository_path(root, owner_id, exercise_id)
        if repositories.exists(repo):
            return RepositoryAccess(repo, owner_id, exercise_id, writable=False)
    return None
