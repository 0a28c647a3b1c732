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
        pengguna = db.session.scalar(db.select(Pengguna).filter_by(nama_pengguna=form.nama_pengguna.data))
        if pengguna is not None and pengguna.cek_password(form.password.data):
            login_user(pengguna)
            flash(f"Selamat datang, {pengguna.nama_pengguna}.", "berhasil")
            if pengguna.peran == "petugas":
                return redirect(url_for("petugas.daftar"))
            return redirect(url_for("warga.daftar"))
        flash("Nama pengguna atau password salah.", "galat")
    return render_template("auth/masuk.html", form=form)


@bp.post("/keluar")
@login_required
def keluar():
    """Keluar: sesi dilupakan."""
    logout_user()
    flash("Anda sudah keluar.", "berhasil")
    return redirect(url_for("auth.masuk"))
