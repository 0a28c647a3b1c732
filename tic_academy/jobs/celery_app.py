"""The object ``celery -A tic_academy.jobs.celery_app worker`` loads (builds the app from TIC_* settings)."""
from .. import create_app
from .runners import get_engine
from .worker import make_celery

flask_app = create_app()
celery = make_celery(flask_app, get_engine)
