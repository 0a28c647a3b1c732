"""Commands of the jobs: `flask grade` (one notebook, no database), `flask grading-sweep` and `flask early-warning`."""

from __future__ import annotations

import dataclasses
import json
import sys

import click
from flask import current_app, has_app_context
from flask.cli import with_appcontext

from ..grading import GradingEngine, GradingSettings, KernelStartError, NotebookFormatError, SandboxUnavailable
from ..services import warnings
from ..services.submissions import requeue_stale
from ..services.test_display import message_text
from .runners import get_runner


def _settings() -> GradingSettings:
    """Read sandbox settings from the app config when there is an app, else from TIC_* variables."""
    if has_app_context():
        return GradingSettings.from_config(current_app.config)
    return GradingSettings.from_env()


def _summary(result, isolation: dict | None) -> dict:
    """Return the fields the command prints."""
    data = result.to_dict()
    keys = ("score", "max_score", "tests", "flags", "notes", "error", "duration_s")
    return {**{key: data[key] for key in keys}, "isolation": isolation}


def _fail(message: str) -> None:
    """Print a one-line error and exit non-zero."""
    click.echo(f"Error: {' '.join(message.split())}", err=True)
    sys.exit(2)


@click.command("grade")
@click.argument("source", type=click.Path(dir_okay=False))
@click.argument("submission", type=click.Path(dir_okay=False))
@click.option("--mode", type=click.Choice(["check", "submit"]), default="submit", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def grade_command(source: str, submission: str, mode: str, as_json: bool) -> None:
    """Grade SUBMISSION against the SOURCE notebook and print the result."""
    try:
        with open(source, "rb") as file:
            source_data = file.read()
        with open(submission, "rb") as file:
            submission_data = file.read()
    except OSError as error:
        _fail(f"cannot read {error.filename}: {error.strerror}")
    settings = dataclasses.replace(_settings(), pool_size=0)  # one grading: a warm pool would be wasted
    engine = GradingEngine(settings)
    try:
        result = engine.grade(source_data, submission_data, mode=mode)
    except (NotebookFormatError, SandboxUnavailable, KernelStartError, ValueError) as error:
        _fail(str(error))
    finally:
        engine.close()
    summary = _summary(result, engine.isolation)
    if as_json:
        click.echo(json.dumps(summary, indent=2, ensure_ascii=False))
        return
    click.echo(f"Skor: {summary['score']:g} / {summary['max_score']:g}  ({summary['duration_s']} s)")
    isolation = summary["isolation"] or {}
    click.echo(f"  Isolasi: sandbox={isolation.get('sandbox')}, seccomp={isolation.get('seccomp')}, "
               f"batas total={isolation.get('total_bound')}")
    for test in summary["tests"]:
        click.echo(f"  {test['grade_id']}: {test['status']} {test['points']:g}/{test['max_points']:g} {message_text(test['message'])}")
    for flag in summary["flags"]:
        click.echo(f"  ! {flag['grade_id']} baris {flag['line']}: {message_text(flag['message'])}")
    for note in summary["notes"]:
        click.echo(f"  - {message_text(note)}")
    if summary["error"]:
        click.echo(f"  {message_text(summary['error'])}")


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
    run = warnings.run_daily()
    click.echo(f"{run.trainees} peserta diperiksa: {run.opened} peringatan baru, {run.cleared} selesai sendiri, "
               f"{run.reminded} pengingat, {run.still_open} masih terbuka")
