"""Periodic jobs for Celery beat (``celery -A tic_academy.jobs.celery_app beat``): the lost-job sweep and the early warning.

With the local runner the app runs both itself (runners.LocalRunner's timers); with Celery, beat sends
``tic.grading_sweep`` every SWEEP_INTERVAL_S seconds and ``tic.early_warning`` every morning at
EARLY_WARNING_HOUR_WIB, and one worker runs each.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Optional

from celery import Celery
from celery.schedules import crontab
from flask import Flask

from ..clock import now_utc, to_wib

from ..services import warnings
from ..services.submissions import requeue_stale

#: Seconds between two sweeps for lost grading jobs.
SWEEP_INTERVAL_S = 300
#: The early warning runs once a day at this hour, WIB (before mentors start their day).
EARLY_WARNING_HOUR_WIB = 6


def add_periodic_tasks(celery: Celery, app: Flask) -> None:
    """Register the sweep and the early warning on ``celery`` and put them on beat's schedule."""

    @celery.task(name="tic.grading_sweep", shared=False)
    def grading_sweep_task() -> int:
        """Re-queue submissions whose grading job was lost; returns how many."""
        with app.app_context():
            return requeue_stale(lambda submission_id: celery.send_task("tic.grade_submission", args=[submission_id]))

    @celery.task(name="tic.early_warning", shared=False)
    def early_warning_task() -> int:
        """Find the early-warning signals of every active trainee; returns how many were opened."""
        with app.app_context():
            return warnings.run_daily().opened

    celery.conf.timezone = "Asia/Jakarta"  # beat reads crontab hours on WIB clocks
    celery.conf.beat_schedule = {
        "grading-sweep": {"task": "tic.grading_sweep", "schedule": float(SWEEP_INTERVAL_S)},
        "early-warning": {"task": "tic.early_warning",
                          "schedule": crontab(hour=EARLY_WARNING_HOUR_WIB, minute=0)},
    }


def seconds_until_early_warning(now: Optional[datetime] = None) -> float:
    """Seconds until the next EARLY_WARNING_HOUR_WIB:00 on WIB clocks (the local runner's timer)."""
    local = to_wib(now or now_utc())
    target = local.replace(hour=EARLY_WARNING_HOUR_WIB, minute=0, second=0, microsecond=0)
    if target <= local:
        target += timedelta(days=1)
    return (target - local).total_seconds()
