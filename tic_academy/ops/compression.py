"""Compressed responses (brotli or gzip, whichever the browser accepts) when the app serves directly, as in
``make run``; behind nginx the proxy compresses static files itself (deploy/nginx/tic-academy.conf)."""
from flask import Flask
from flask_compress import Compress

compress = Compress()


def init_app(app: Flask) -> None:
    """Compress HTML, CSS, JavaScript and JSON responses of 500 bytes or more."""
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    # Streamed responses (git packs, downloads) are left as they are; static files are read into memory
    # first (static_version.py), so they are compressed like pages.
    app.config.setdefault("COMPRESS_STREAMS", False)
    compress.init_app(app)
