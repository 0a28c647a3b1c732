"""``flask git repair-hooks``: put the current push rules into every existing repository."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..services import repositories

git_cli = AppGroup("git", help="Trainee git repositories.")


@git_cli.command("repair-hooks")
def repair_hooks_command() -> None:
    """Install the current pre-receive hook and receive settings into every repository."""
    root = Path(current_app.config["REPO_ROOT"])
    changed = repositories.repair_hooks(root)
    for repo in changed:
        click.echo(f"updated {repo}")
    click.echo(f"{len(changed)} of {len(repositories.all_repositories(root))} repositories updated.")
