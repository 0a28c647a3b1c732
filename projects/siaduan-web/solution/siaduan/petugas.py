"""Blueprint petugas: semua aduan dan perubahan statusnya (hanya untuk petugas)."""
from flask import Blueprint, flash, redirect, render_template, url_for

from .extensions import db
from .forms import StatusForm
from .models import ALUR_STATUS, Aduan
from .peran import peran_wajib

bp = Blueprint("petugas", __name__, url_prefix="/petugas")


@bp.get("/")
@peran_wajib("petugas")
def daftar():
    """Semua aduan, yang terbaru di atas."""
    aduan = db.session.scalars(db.select(Aduan).order_by(Aduan.id.desc())).all()
    return render_template("petugas/daftar.html", daftar_aduan=aduan)


@bp.post("/aduan/<int:aduan_id>/status")
@peran_wajib("petugas")
def ubah_status(aduan_id):
    """Mengubah status satu aduan mengikuti ALUR_STATUS."""
    aduan = db.get_or_404(Aduan, aduan_id)
    form = StatusForm()
    if not form.validate_on_submit():
        flash("Status tidak dikenal.", "galat")
    elif form.status.data not in ALUR_STATUS[aduan.status]:
        flash(f"Status tidak bisa berpindah dari {aduan.status} ke {form.status.data}.", "galat")
    else:
        aduan.status = form.status.data
        db.session.commit()
        flash(f"Status aduan #{aduan.id} sekarang {aduan.status}.", "berhasil")
    return redirect(url_for("warga.detail", aduan_id=aduan.id))
