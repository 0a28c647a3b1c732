"""The `discussion` blueprint object, imported by this package's route modules (no import cycle)."""
from flask import Blueprint

bp = Blueprint("discussion", __name__)
