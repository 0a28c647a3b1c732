"""Project exercises: PLACEHOLDER in the gitserve branch, replaced by the project-exercise branch at merge.

Only the two functions the git server calls exist here, with the signatures agreed in the issue-14
contract. The real module (branch ``projects``) creates repositories from the exercise's template and
records and grades submissions; keep that one when merging.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from ..models import User
from . import repositories
from ..enums import Role


def repository_for(user: User, exercise_id: int, root: Path) -> Optional[Path]:
    """The owner's repository for a project exercise, or None (placeholder: only an existing repository)."""
    if user.role != Role.TRAINEE:
        return None
    repo = repositories.repository_path(root, user.id, exercise_id)
    return repo if repositories.exists(repo) else None


def submit_commit(trainee_id: int, exercise_id: int, sha: str, via: str, root: Path):
    """Record and grade a pushed commit (placeholder: does nothing and returns None)."""
    return None
