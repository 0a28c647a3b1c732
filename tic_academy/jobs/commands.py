"""Commands of the jobs: `flask grade` (one notebook, no database), `flask grading-sweep` and `flask early-warning`.

`flask grade` is normally jobs/grade.py's command, found through the `flask.commands` entry point
(pyproject.toml) before Flask loads the app; the app's own `grade` below only answers when the project is
not installed (it reads the app's settings, and loads the whole app first).
"""

from __future__ import annotations

import click
from flask import current_app, has_app_context
from flask.cli import with_appcontext

from ..grading import GradingSettings
from ..services import warnings
from ..services.submissions import requeue_stale
from .grade import grade_options, run
from .runners import get_runner


def _settings() -> GradingSettings:
    """Read sandbox settings from the app config when there is an app, else from TIC_* variables."""
    if has_app_context():
        return GradingSettings.from_config(current_app.config)
    return GradingSettings.from_env()


@click.command("grade")
@grade_options
def grade_command(source: str, submission: str, mode: str, as_json: bool) -> None:
    """Grade SUBMISSION against the SOURCE notebook and print the result (python -m tic_academy.jobs.grade is faster)."""
    run(source, submission, mode, as_json, _settings())


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
