"""Endpoint kesehatan /health untuk pemantauan dan load balancer (langkah 3 di README)."""
from flask import Blueprint

bp = Blueprint("kesehatan", __name__)

# TODO langkah 3: rute GET /health
