"""Static file links carry a content hash (``/static/dist/app.js?v=3f2a...``), so browsers and the proxy may
cache them for a year: a new build changes the hash, and browsers fetch the new file. Links without the
current hash are cached for an hour only."""
from __future__ import annotations

import hashlib
import os

from flask import Flask, redirect, request, url_for

#: Cache-Control of a static file fetched with its current content hash (``?v=<hash>``).
LONG_CACHE = "public, max-age=31536000, immutable"
#: Cache-Control of a static file fetched without it (or with an old one): an hour, as in deploy/nginx.
SHORT_CACHE = "public, max-age=3600"

#: path -> (modification time, short hash); a changed file is hashed again.
_hashes: dict[str, tuple[float, str]] = {}


def file_hash(path: str) -> str | None:
    """The first 12 hex digits of the file's SHA-256, or None when there is no such file."""
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return None
    cached = _hashes.get(path)
    if cached is not None and cached[0] == mtime:
        return cached[1]
    with open(path, "rb") as file:
        digest = hashlib.sha256(file.read()).hexdigest()[:12]
    _hashes[path] = (mtime, digest)
    return digest


def static_cache_control(static_folder: str, filename: str, version: str | None) -> str:
    """A year for a link carrying the file's current hash, an hour for any other link."""
    if version and version == file_hash(os.path.join(static_folder, filename)):
        return LONG_CACHE
    return SHORT_CACHE


def init_app(app: Flask) -> None:
    """Add ``v=<hash>`` to every url_for('static', filename=...) and cache static files accordingly."""

    @app.url_defaults
    def static_version(endpoint, values):
        if endpoint != "static" or "filename" not in values or "v" in values or app.static_folder is None:
            return
        digest = file_hash(os.path.join(app.static_folder, values["filename"]))
        if digest is not None:
            values["v"] = digest

    @app.route("/favicon.ico")
    def favicon():
        """Browsers that ask for /favicon.ico get the SVG icon the pages link to."""
        return redirect(url_for("static", filename="favicon.svg"))

    @app.after_request
    def static_caching(response):
        if request.endpoint != "static" or response.status_code not in (200, 304) or app.static_folder is None:
            return response
        filename = (request.view_args or {}).get("filename", "")
        response.headers["Cache-Control"] = static_cache_control(app.static_folder, filename,
                                                                 request.args.get("v"))
        if response.status_code == 200 and response.direct_passthrough:
            # Read the (small) file into memory, so compression sends one body with its length and the
            # file is closed with the response.
            response.direct_passthrough = False
            response.make_sequence()
        return response
