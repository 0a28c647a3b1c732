"""Koneksi SQLite: satu koneksi per permintaan, tabel dibuat saat aplikasi dibuat."""
import sqlite3
from contextlib import closing

from flask import current_app, g

SKEMA = """
CREATE TABLE IF NOT EXISTS aduan (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tiket TEXT UNIQUE NOT NULL,
    pelapor TEXT NOT NULL,
    telepon TEXT NOT NULL,
    kecamatan TEXT NOT NULL,
    kategori TEXT NOT NULL,
    isi TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'baru'
        CHECK (status IN ('baru', 'diproses', 'selesai', 'ditolak')),
    dibuat TEXT NOT NULL,
    diperbarui TEXT NOT NULL
);
"""


def ambil_db():
    """Koneksi basis data untuk permintaan ini (baris bisa dibaca seperti kamus)."""
    if "db" not in g:
        g.db = sqlite3.connect(current_app.config["DATABASE"])
        g.db.row_factory = sqlite3.Row
    return g.db


def tutup_db(galat=None):
    """Menutup koneksi di akhir permintaan."""
    koneksi = g.pop("db", None)
    if koneksi is not None:
        koneksi.close()


def siapkan(app):
    """Membuat tabel bila belum ada dan mendaftarkan penutupan koneksi."""
    with closing(sqlite3.connect(app.config["DATABASE"])) as koneksi:
        koneksi.executescript(SKEMA)
    app.teardown_appcontext(tutup_db)
