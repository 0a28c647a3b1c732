"""The object ``celery -A tic_academy.jobs.celery_app worker`` (and ``beat``) loads (builds the app from TIC_* settings)."""
from .. import create_app
from .periodic import add_periodic_tasks
from .runners import get_engine
from .worker import make_celery

flask_app = create_app()
celery = make_celery(flask_app, get_engine)
add_periodic_tasks(celery, flask_app)
