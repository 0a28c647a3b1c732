"""Static file links carry a content hash (``/static/dist/app.js?v=3f2a...``), so the proxy may cache them for
a year: a new build changes the hash, and browsers fetch the new file."""
from __future__ import annotations

import hashlib
import os

from flask import Flask

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


def init_app(app: Flask) -> None:
    """Add ``v=<hash>`` to every url_for('static', filename=...)."""

    @app.url_defaults
    def static_version(endpoint, values):
        if endpoint != "static" or "filename" not in values or "v" in values or app.static_folder is None:
            return
        digest = file_hash(os.path.join(app.static_folder, values["filename"]))
        if digest is not None:
            values["v"] = digest
