"""WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi ...``."""
from tic_academy import create_app

app = create_app()
