"""SiAduan: aplikasi aduan warga Kota (API JSON Flask)."""
from flask import Flask

from . import aduan, db


def create_app(test_config=None):
    """Membuat aplikasi SiAduan; test_config (dict) menimpa konfigurasi, misalnya untuk pengujian."""
    app = Flask(__name__)
    # TODO langkah 1: ganti dua baris ini dengan konfigurasi dari environment:
    #   app.config.update(muat_konfigurasi(os.environ, testing=...))  (lihat siaduan/config.py)
    # Kunci rahasia yang ditulis di kode seperti di bawah ini TIDAK BOLEH sampai ke server.
    app.config.from_mapping(SECRET_KEY="dev", DATABASE="siaduan.db")
    if test_config:
        app.config.update(test_config)
    # TODO langkah 2: atur logging di sini (lihat siaduan/log.py).
    db.init_app(app)
    app.register_blueprint(aduan.bp)
    # TODO langkah 3: daftarkan blueprint kesehatan (/health) dari siaduan/kesehatan.py.
    return app
