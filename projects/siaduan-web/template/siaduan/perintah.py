"""Perintah baris perintah: ``flask --app siaduan buat-petugas NAMA``."""
import click
from flask.cli import with_appcontext

from .extensions import db
from .models import Pengguna


@click.command("buat-petugas")
@click.argument("nama")
@click.password_option("--password", help="Password petugas (ditanyakan bila tidak diberikan).")
@with_appcontext
def buat_petugas(nama, password):
    """Membuat akun petugas (akun petugas tidak bisa dibuat lewat halaman daftar)."""
    if db.session.scalar(db.select(Pengguna).filter_by(nama_pengguna=nama)) is not None:
        raise click.ClickException(f"Nama pengguna {nama} sudah dipakai.")
    pengguna = Pengguna(nama_pengguna=nama, peran="petugas")
    pengguna.atur_password(password)
    db.session.add(pengguna)
    db.session.commit()
    click.echo(f"Petugas {nama} dibuat.")
