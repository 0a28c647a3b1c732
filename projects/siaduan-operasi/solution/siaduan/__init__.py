"""SiAduan: aplikasi aduan warga Kota (API JSON Flask)."""
import os

from flask import Flask

from . import aduan, db, kesehatan
from .config import muat_konfigurasi
from .log import atur_logging


def create_app(test_config=None):
    """Membuat aplikasi SiAduan; test_config (dict) menimpa konfigurasi, misalnya untuk pengujian."""
    app = Flask(__name__)
    testing = bool(test_config and test_config.get("TESTING"))
    app.config.update(muat_konfigurasi(os.environ, testing=testing))
    if test_config:
        app.config.update(test_config)
    atur_logging(app)
    db.init_app(app)
    app.register_blueprint(aduan.bp)
    app.register_blueprint(kesehatan.bp)
    return app
