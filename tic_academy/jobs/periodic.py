"""Periodic jobs for Celery beat (``celery -A tic_academy.jobs.celery_app beat``): the lost-job sweep.

With the local runner the app runs the sweep itself (runners.LocalRunner); with Celery, beat sends
``tic.grading_sweep`` every SWEEP_INTERVAL_S seconds and one worker runs it.
"""
from __future__ import annotations

from celery import Celery
from flask import Flask

from ..services.submissions import requeue_stale

#: Seconds between two sweeps for lost grading jobs.
SWEEP_INTERVAL_S = 300


def add_periodic_tasks(celery: Celery, app: Flask) -> None:
    """Register the sweep task on ``celery`` and put it on beat's schedule."""

    @celery.task(name="tic.grading_sweep")
    def grading_sweep_task() -> int:
        """Re-queue submissions whose grading job was lost; returns how many."""
        with app.app_context():
            return requeue_stale(lambda submission_id: celery.send_task("tic.grade_submission", args=[submission_id]))

    celery.conf.beat_schedule = {
        "grading-sweep": {"task": "tic.grading_sweep", "schedule": float(SWEEP_INTERVAL_S)},
    }
