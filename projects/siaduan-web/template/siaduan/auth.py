"""Blueprint auth: mendaftar, masuk dan keluar."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required, login_user, logout_user

from .extensions import db
from .forms import DaftarForm, MasukForm
from .models import Pengguna

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.route("/daftar", methods=["GET", "POST"])
def daftar():
    """Warga membuat akun; akun baru selalu berperan warga."""
    form = DaftarForm()
    if form.validate_on_submit():
        pengguna = Pengguna(nama_pengguna=form.nama_pengguna.data, peran="warga")
        pengguna.atur_password(form.password.data)
        db.session.add(pengguna)
        db.session.commit()
        flash("Akun dibuat. Silakan masuk.", "berhasil")
        return redirect(url_for("auth.masuk"))
    return render_template("auth/daftar.html", form=form)


@bp.route("/masuk", methods=["GET", "POST"])
def masuk():
    """Masuk dengan nama pengguna dan password."""
    if current_user.is_authenticated:
        return redirect(url_for("warga.daftar"))
    form = MasukForm()
    if form.validate_on_submit():
        # TODO (tugas 3): cari pengguna menurut nama_pengguna, periksa password-nya dengan cek_password,
        # lalu login_user(pengguna) dan arahkan (petugas ke petugas.daftar, warga ke warga.daftar).
        # Bila salah: flash("Nama pengguna atau password salah.", "galat") dan tampilkan formulir lagi.
        pass
    return render_template("auth/masuk.html", form=form)


@bp.post("/keluar")
@login_required
def keluar():
    """Keluar: sesi dilupakan."""
    logout_user()
    flash("Anda sudah keluar.", "berhasil")
    return redirect(url_for("auth.masuk"))
