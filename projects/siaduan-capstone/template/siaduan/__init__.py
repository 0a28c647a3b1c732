"""SiAduan: layanan aduan warga Kota Tangerang Selatan (aplikasi Flask)."""
import os
import tempfile

from flask import Flask

from . import db
from .halaman import bp as bp_halaman
from .petugas import bp as bp_petugas
from .warga import bp as bp_warga


def akun_dari_lingkungan():
    """Akun pengguna API dari variabel lingkungan (token contoh bila tidak diisi)."""
    return [
        {"nama": "Petugas Contoh", "peran": "petugas",
         "token": os.environ.get("SIADUAN_TOKEN_PETUGAS", "token-petugas-contoh-ganti-saya")},
        {"nama": "Warga Contoh", "peran": "warga",
         "token": os.environ.get("SIADUAN_TOKEN_WARGA", "token-warga-contoh-ganti-saya")},
    ]


def create_app(config=None):
    """Membuat aplikasi SiAduan; `config` (kamus) menimpa pengaturan bawaan."""
    app = Flask(__name__)
    app.config.update(
        DATABASE=os.environ.get("SIADUAN_DATABASE", os.path.join(tempfile.gettempdir(), "siaduan.db")),
        AKUN=akun_dari_lingkungan(),
    )
    app.config.update(config or {})
    db.siapkan(app)
    app.register_blueprint(bp_warga)
    app.register_blueprint(bp_petugas)
    app.register_blueprint(bp_halaman)
    return app
