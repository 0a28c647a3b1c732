"""Celery beat's schedule runs the lost-job sweep."""
from datetime import timedelta

from tic_academy.jobs.periodic import SWEEP_INTERVAL_S, add_periodic_tasks
from tic_academy.jobs.runners import get_engine
from tic_academy.jobs.worker import make_celery
from tic_academy.clock import now_utc as utcnow


def test_beat_sends_the_sweep_and_the_sweep_requeues_lost_jobs(app, make_user, make_track, make_submission):
    """The schedule names the sweep task; the task re-queues a submission whose job was lost."""
    celery = make_celery(app, get_engine)
    add_periodic_tasks(celery, app)
    assert celery.conf.beat_schedule["grading-sweep"]["task"] == "tic.grading_sweep"
    assert celery.conf.beat_schedule["grading-sweep"]["schedule"] == SWEEP_INTERVAL_S
    sent = []
    celery.send_task = lambda name, args: sent.append((name, args))
    exercise = make_track([{"exercises": [{}]}]).stages[0].exercises[0]
    lost = make_submission(make_user(), exercise, status="queued", created_at=utcnow() - timedelta(hours=1))
    make_submission(make_user(), exercise, status="queued")  # fresh: its job is still on its way
    assert celery.tasks["tic.grading_sweep"]() == 1
    assert sent == [("tic.grade_submission", [lost.id])]
