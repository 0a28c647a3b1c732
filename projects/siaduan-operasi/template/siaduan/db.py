"""Database SQLite SiAduan: satu koneksi per permintaan, tabel dibuat saat aplikasi dibuat."""
import sqlite3

import click
from flask import current_app, g
from werkzeug.security import generate_password_hash

SKEMA = """
CREATE TABLE IF NOT EXISTS aduan (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    judul TEXT NOT NULL,
    isi TEXT NOT NULL,
    pelapor TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'baru'
);
CREATE TABLE IF NOT EXISTS petugas (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    nama TEXT NOT NULL UNIQUE,
    hash_sandi TEXT NOT NULL
);
"""


def get_db():
    """Koneksi database untuk permintaan ini (dibuka sekali, ditutup di akhir permintaan)."""
    if "db" not in g:
        g.db = sqlite3.connect(current_app.config["DATABASE"])
        g.db.row_factory = sqlite3.Row
    return g.db


def close_db(error=None):
    """Menutup koneksi database permintaan ini, bila ada."""
    koneksi = g.pop("db", None)
    if koneksi is not None:
        koneksi.close()


@click.command("tambah-petugas")
@click.argument("nama")
@click.password_option("--kata-sandi", prompt="Kata sandi petugas")
def tambah_petugas(nama, kata_sandi):
    """Menambah akun petugas: flask --app siaduan tambah-petugas NAMA."""
    db = get_db()
    db.execute("INSERT INTO petugas (nama, hash_sandi) VALUES (?, ?)", (nama, generate_password_hash(kata_sandi)))
    db.commit()
    click.echo(f"Petugas {nama} ditambahkan.")


def init_app(app):
    """Mendaftarkan penutupan koneksi dan perintah CLI, lalu membuat tabel bila belum ada."""
    app.teardown_appcontext(close_db)
    app.cli.add_command(tambah_petugas)
    with app.app_context():
        get_db().executescript(SKEMA)
