"""Layanan pengaduan warga: aplikasi Flask kecil dengan API JSON."""
from flask import Flask

from .penyimpanan import Penyimpanan
from .rute import bp


def create_app(config=None):
    """Membuat aplikasi; setiap aplikasi punya penyimpanannya sendiri (di memori)."""
    app = Flask(__name__)
    app.config.update(config or {})
    app.extensions["pengaduan"] = Penyimpanan()
    app.register_blueprint(bp)
    return app
