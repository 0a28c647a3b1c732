"""TIC Academy: staged curricula and auto-graded notebook exercises.

The package itself imports nothing: ``python -m tic_academy.jobs.grade`` must not pay for Flask and the web
app. ``create_app`` builds the app from ``factory.py``.
"""


def create_app(config=None):
    """Build the Flask app (see factory.create_app): a name, a Config class or a dict of overrides."""
    from .factory import create_app as build  # Flask, the blueprints and the migrations load only for the app

    return build(config)
