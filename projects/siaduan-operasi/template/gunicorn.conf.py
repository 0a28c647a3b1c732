"""Konfigurasi gunicorn untuk SiAduan (langkah 4 di README)."""
# TODO langkah 4
