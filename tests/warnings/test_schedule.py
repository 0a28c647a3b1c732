"""The early warning runs every morning: on Celery beat's schedule, on the local runner's timer, or by command."""
from datetime import datetime, timedelta, timezone

from celery.schedules import crontab
from sqlalchemy import func, select

from tic_academy.clock import today_wib
from tic_academy.extensions import db
from tic_academy.jobs.periodic import add_periodic_tasks, seconds_until_early_warning
from tic_academy.jobs.runners import close_runner, get_engine, get_runner
from tic_academy.jobs.worker import make_celery
from tic_academy.models import WarningSignal

from .conftest import NOW


def idle_trainee(make_user, make_track, make_enrollment):
    """A trainee of a cohort that started 30 days ago who never did anything (whatever today is)."""
    trainee = make_user()
    track = make_track([{"exercises": [{}]}])
    make_enrollment(trainee, track, start_date=today_wib() - timedelta(days=30), mentor=make_user(role="mentor"))
    return trainee


def open_count() -> int:
    """Open signals."""
    return db.session.scalar(select(func.count()).select_from(WarningSignal).where(WarningSignal.closed_at.is_(None)))


def test_beat_runs_the_early_warning_every_morning(app, make_user, make_track, make_enrollment):
    """Does beat's schedule hold the early warning at 06:00 WIB, and does the task open the signals?"""
    idle_trainee(make_user, make_track, make_enrollment)
    celery = make_celery(app, get_engine)
    add_periodic_tasks(celery, app)
    entry = celery.conf.beat_schedule["early-warning"]
    assert entry["task"] == "tic.early_warning"
    assert entry["schedule"] == crontab(hour=6, minute=0) and celery.conf.timezone == "Asia/Jakarta"
    opened = celery.tasks["tic.early_warning"]()
    assert opened >= 1 and opened == open_count()


def test_next_morning_is_counted_on_wib_clocks():
    """Is the next run at 06:00 WIB: 20 hours after 10:00 WIB, and 1 hour after 05:00 WIB?"""
    assert seconds_until_early_warning(NOW) == 20 * 3600
    five_wib = datetime(2026, 12, 1, 22, 0, tzinfo=timezone.utc)
    assert seconds_until_early_warning(five_wib) == 3600


def test_local_runner_keeps_a_morning_timer(app):
    """Does the local runner schedule the early warning, and stop the timer when closed?"""
    runner = get_runner(app)
    timer = runner._warning_timer
    assert timer.is_alive() and 0 < timer.interval <= 24 * 3600
    close_runner(app)
    timer.join(1)
    assert not timer.is_alive()


def test_command_runs_the_job(app, runner, make_user, make_track, make_enrollment):
    """Does `flask early-warning` run the job and say what it did, in Indonesian?"""
    idle_trainee(make_user, make_track, make_enrollment)
    result = runner.invoke(args=["early-warning"])
    assert result.exit_code == 0 and "1 peserta diperiksa" in result.output
    assert open_count() >= 1
