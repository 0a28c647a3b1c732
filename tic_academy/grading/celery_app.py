"""The object ``celery -A tic_academy.grading.celery_app worker`` loads (builds the app from TIC_* settings)."""
from .. import create_app
from .worker import make_celery

flask_app = create_app()
celery = make_celery(flask_app)
