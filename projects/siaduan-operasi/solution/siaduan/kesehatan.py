"""Endpoint kesehatan /health untuk pemantauan dan load balancer (langkah 3 di README)."""
import sqlite3

from flask import Blueprint, current_app

from .db import get_db

bp = Blueprint("kesehatan", __name__)


@bp.get("/health")
def health():
    """200 dan {"status": "ok", "database": "ok"} bila database bisa dipakai, 503 bila tidak."""
    try:
        get_db().execute("SELECT 1").fetchone()
    except sqlite3.Error:
        current_app.logger.exception("Pemeriksaan kesehatan: database tidak bisa dihubungi")
        return {"status": "error", "database": "error"}, 503
    return {"status": "ok", "database": "ok"}
