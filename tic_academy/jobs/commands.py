"""Commands of the jobs: `flask grading-sweep` and `flask early-warning`.

`flask grade` is jobs/grade.py's command, found through the `flask.commands` entry point (pyproject.toml)
before Flask loads the app.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..services import warnings
from ..services.submissions import requeue_stale
from .runners import get_runner


@click.command("grading-sweep")
@with_appcontext
def sweep_command():
    """Re-queue submissions whose grading job was lost (a dead worker); run it from cron with Celery."""
    count = requeue_stale(get_runner().enqueue)
    click.echo(f"{count} lost grading job(s) re-queued")


@click.command("early-warning")
@with_appcontext
def warnings_command():
    """Run the early warning's daily job now (Celery beat or the local runner run it every morning)."""
    outcome = warnings.run_daily()
    click.echo(f"{outcome.trainees} peserta diperiksa: {outcome.opened} peringatan baru, {outcome.cleared} selesai sendiri, "
               f"{outcome.reminded} pengingat, {outcome.still_open} masih terbuka")
