"""Endpoint kesehatan /health untuk pemantauan dan load balancer (langkah 3 di README)."""
from flask import Blueprint

bp = Blueprint("kesehatan", __name__)


@bp.get("/health")
def health():
    """Aplikasi hidup, jadi sehat."""
    return {"status": "ok", "database": "ok"}
