"""Titik masuk WSGI untuk gunicorn: gunicorn wsgi:app (langkah 4 di README)."""
# TODO langkah 4
