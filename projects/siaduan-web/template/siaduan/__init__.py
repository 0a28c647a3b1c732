"""SiAduan: aplikasi web pengaduan warga (Flask, beberapa berkas)."""
import os
import tempfile

from flask import Flask, redirect, url_for

from . import auth, petugas, warga
from .extensions import csrf, db, login_manager, migrate
from .perintah import buat_petugas

#: Folder migrasi di repositori (path lengkap, supaya bisa dijalankan dari folder mana pun).
FOLDER_MIGRASI = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "migrations")


def create_app(config=None):
    """Membuat aplikasi SiAduan; ``config`` (kamus) menimpa pengaturan bawaan."""
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=os.environ.get("SIADUAN_SECRET_KEY", "kunci-pengembangan-ganti-di-server"),
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(tempfile.gettempdir(), "siaduan.db"),
    )
    app.config.update(config or {})

    db.init_app(app)
    migrate.init_app(app, db, directory=FOLDER_MIGRASI)
    csrf.init_app(app)
    login_manager.init_app(app)

    app.register_blueprint(auth.bp)
    app.register_blueprint(warga.bp)
    app.register_blueprint(petugas.bp)
    app.cli.add_command(buat_petugas)

    @app.get("/")
    def beranda():
        """Halaman depan: langsung ke daftar aduan."""
        return redirect(url_for("warga.daftar"))

    return app
