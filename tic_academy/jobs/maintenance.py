"""Maintenance commands: `flask rebuild-best-scores`."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..extensions import db
from ..models.best_scores import recompute


@click.command("rebuild-best-scores")
@with_appcontext
def rebuild_best_scores_command() -> None:
    """Rebuild the best-score table from the submissions (after a restore or a manual database edit)."""
    with db.engine.begin() as connection:
        rows = recompute(connection)
    click.echo(f"best_score: {rows} rows rebuilt")
