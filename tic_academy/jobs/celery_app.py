"""The object ``celery -A tic_academy.jobs.celery_app worker`` (and ``beat``) loads (builds the app from TIC_* settings)."""
from celery.signals import worker_process_init

from .. import create_app
from .periodic import add_periodic_tasks
from .runners import get_engine
from .worker import make_celery

flask_app = create_app()
celery = make_celery(flask_app, get_engine)
add_periodic_tasks(celery, flask_app)


@worker_process_init.connect
def _start_grading_engine(**_signal) -> None:
    """Each worker process starts its grading engine when it starts (its fork server and warm kernels fill
    in the background), not inside its first job: that Run would wait for them. Beat never grades."""
    get_engine(flask_app)
