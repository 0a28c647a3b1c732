"""``flask curriculum validate [PATH]`` and ``flask curriculum sync [PATH]``."""
import dataclasses
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..config import BASE_DIR
from ..grading import GradingEngine, GradingSettings
from .outline import outline, replace_in
from .proof import HASH_SEEDS
from .sync import sync_curricula
from .validate import validate

curriculum_cli = AppGroup("curriculum", help="Validate and sync the curricula.")


@curriculum_cli.command("validate")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--no-execute", is_flag=True, help="Skip the proof by execution (structure and format only).")
@click.option("--require-wrong-answers/--allow-few-wrong-answers", default=True, show_default=True,
              help="Require a .wrong.yaml with at least three wrong answers, one per test cell, for every exercise.")
@click.option("--only", "only", multiple=True, metavar="EXERCISE_ID",
              help="Check and prove only this exercise (repeatable); the track structure is still checked whole.")
def validate_command(path, no_execute, require_wrong_answers, only):
    """Check every track and notebook; one line per problem, non-zero exit on any."""
    path = path or BASE_DIR
    settings = GradingSettings.from_config(current_app.config)
    engines = {}
    if not no_execute:
        # One engine per hash seed, each with warm kernels of its seed: no cold start per second-seed grading.
        engines = {seed: GradingEngine(dataclasses.replace(settings, limits=dataclasses.replace(settings.limits, hash_seed=seed)))
                   for seed in HASH_SEEDS}
        unavailable = next((e.unavailable for e in engines.values() if e.unavailable), None)
        if unavailable:
            raise click.ClickException(f"cannot execute notebooks: {unavailable}")
    try:
        report = validate(path, engines or None, workers=2 * max(2, settings.pool_size),
                          require_wrong_answers=require_wrong_answers, only=set(only) or None)
    finally:
        for engine in engines.values():
            engine.close()
    for problem in report.problems:
        click.echo(str(problem))
    proof = "" if no_execute else (
        f", proven by execution ({report.wrong_answers - report.not_caught} of {report.wrong_answers} wrong answers caught)"
    )
    click.echo(
        f"{len(report.tracks)} track(s), {len(report.exercises) + len(report.projects)} exercise(s) checked{proof}: "
        f"{len(report.problems)} problem(s)"
    )
    if report.problems:
        raise SystemExit(1)


@curriculum_cli.command("outline")
@click.argument("track", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--write", "readme", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Replace the outline in this README (between its outline markers) instead of printing it.")
def outline_command(track, readme):
    """The track outline: stages, weeks, minutes, hours per week, wrong answers."""
    body = outline(track or BASE_DIR / "curricula" / "programmer-pemerintahan.yaml")
    if readme is None:
        click.echo(body, nl=False)
        return
    readme.write_text(replace_in(readme.read_text(encoding="utf-8"), body), encoding="utf-8")
    click.echo(f"outline written to {readme}")


@curriculum_cli.command("sync")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
def sync_command(path):
    """Load the curricula into the database (safe to run again)."""
    run = sync_curricula(path or BASE_DIR)
    click.echo(run.report)
    if not run.ok:
        raise SystemExit(1)
