"""The grading command: ``python -m tic_academy.jobs.grade SOURCE SUBMISSION`` grades one notebook, no database.

It loads only the grading library and click: not Flask, the web app, its blueprints, the models or the
migrations (tests/grading/test_cli.py checks it with -X importtime), so a run costs little more than its kernel.
``flask --app wsgi grade`` is this command too: the `flask.commands` entry point in pyproject.toml lets Flask
find it before it loads the app.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from ..grading import GradingEngine, GradingSettings, KernelStartError, NotebookFormatError, SandboxUnavailable

#: The package folder: its translations word the messages of the text output.
PACKAGE_DIR = Path(__file__).resolve().parents[1]


def _summary(result, isolation: dict | None) -> dict:
    """Return the fields the command prints."""
    data = result.to_dict()
    keys = ("score", "max_score", "tests", "flags", "notes", "error", "duration_s")
    return {**{key: data[key] for key in keys}, "isolation": isolation}


def _fail(message: str) -> None:
    """Print a one-line error and exit non-zero."""
    click.echo(f"Error: {' '.join(message.split())}", err=True)
    sys.exit(2)


def _has_messages(summary: dict) -> bool:
    """Whether the text output has any grading message to put into words."""
    return bool(summary["flags"] or summary["notes"] or summary["error"]
                or any(test["message"] for test in summary["tests"]))


@contextmanager
def _wording(summary: dict):
    """Yield a function that puts a grading message into words, in Indonesian (Flask-Babel only when needed)."""
    if not _has_messages(summary):
        yield lambda message: ""
        return
    # Flask-Babel words messages inside an app context: paid (about 0.1 s) only when there is a message.
    from flask import Flask
    from flask_babel import Babel

    from ..services.test_display import message_text  # imports Flask-Babel, so only here (see above)

    app = Flask("tic_academy", root_path=str(PACKAGE_DIR))
    Babel(app, default_locale="id")
    with app.app_context():
        yield message_text


def print_summary(summary: dict) -> None:
    """Print the result as text: score, isolation, then one line per test, flag and note."""
    click.echo(f"Skor: {summary['score']:g} / {summary['max_score']:g}  ({summary['duration_s']} s)")
    isolation = summary["isolation"] or {}
    click.echo(f"  Isolasi: sandbox={isolation.get('sandbox')}, seccomp={isolation.get('seccomp')}, "
               f"batas total={isolation.get('total_bound')}")
    with _wording(summary) as words:
        for test in summary["tests"]:
            click.echo(f"  {test['grade_id']}: {test['status']} {test['points']:g}/{test['max_points']:g} "
                       f"{words(test['message'])}")
        for flag in summary["flags"]:
            click.echo(f"  ! {flag['grade_id']} baris {flag['line']}: {words(flag['message'])}")
        for note in summary["notes"]:
            click.echo(f"  - {words(note)}")
        if summary["error"]:
            click.echo(f"  {words(summary['error'])}")


def run(source: str, submission: str, mode: str, as_json: bool, settings: GradingSettings) -> None:
    """Grade SUBMISSION against SOURCE in one kernel started without a pool and print the result."""
    try:
        with open(source, "rb") as file:
            source_data = file.read()
        with open(submission, "rb") as file:
            submission_data = file.read()
    except OSError as error:
        _fail(f"cannot read {error.filename}: {error.strerror}")
    settings = dataclasses.replace(settings, pool_size=0)  # one grading: a warm pool would be wasted
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
    print_summary(summary)


@click.command("grade")
@click.argument("source", type=click.Path(dir_okay=False))
@click.argument("submission", type=click.Path(dir_okay=False))
@click.option("--mode", type=click.Choice(["check", "submit"]), default="submit", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def grade_command(source: str, submission: str, mode: str, as_json: bool) -> None:
    """Grade SUBMISSION against the SOURCE notebook and print the result (settings from TIC_* variables)."""
    run(source, submission, mode, as_json, GradingSettings.from_env())


if __name__ == "__main__":
    grade_command(prog_name="python -m tic_academy.jobs.grade")
