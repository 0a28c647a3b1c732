"""Alat basis data untuk uji: menjalankan migrasi seperti ``flask --app siaduan db upgrade``."""
import flask_migrate


def upgrade(app, revision="head"):
    """Menjalankan migrasi sampai ``revision`` (bawaan: yang terbaru) pada basis data ``app``."""
    with app.app_context():
        flask_migrate.upgrade(revision=revision)
