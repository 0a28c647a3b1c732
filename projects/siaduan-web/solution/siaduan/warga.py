"""Blueprint warga: daftar aduan saya, membuat aduan, melihat satu aduan."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from .extensions import db
from .forms import AduanForm, StatusForm
from .models import ALUR_STATUS, Aduan

bp = Blueprint("warga", __name__, url_prefix="/aduan")


@bp.get("/")
@login_required
def daftar():
    """Aduan milik pengguna yang sedang masuk, yang terbaru di atas."""
    aduan = db.session.scalars(
        db.select(Aduan).filter_by(pelapor_id=current_user.id).order_by(Aduan.id.desc())
    ).all()
    return render_template("warga/daftar.html", daftar_aduan=aduan)


@bp.route("/baru", methods=["GET", "POST"])
@login_required
def baru():
    """Formulir aduan baru; bila valid, aduan disimpan dengan status "baru"."""
    form = AduanForm()
    if form.validate_on_submit():
        aduan = Aduan(
            judul=form.judul.data.strip(),
            isi=form.isi.data.strip(),
            kategori=form.kategori.data,
            lokasi=form.lokasi.data or None,
            pelapor=current_user,
        )
        db.session.add(aduan)
        db.session.commit()
        flash("Aduan Anda sudah terkirim.", "berhasil")
        return redirect(url_for("warga.detail", aduan_id=aduan.id))
    return render_template("warga/baru.html", form=form)


@bp.get("/<int:aduan_id>")
@login_required
def detail(aduan_id):
    """Satu aduan: pelapornya dan petugas boleh melihat; orang lain mendapat 404."""
    aduan = db.get_or_404(Aduan, aduan_id)
    if aduan.pelapor_id != current_user.id and current_user.peran != "petugas":
        abort(404)
    form = StatusForm() if current_user.peran == "petugas" else None
    return render_template("warga/detail.html", aduan=aduan, form=form, boleh=ALUR_STATUS[aduan.status])
