"""Halaman HTML untuk warga: formulir aduan dan cek status dengan nomor tiket."""
from flask import Blueprint, render_template, request

from .aturan import KATEGORI, KECAMATAN, periksa_aduan
from .db import ambil_db
from .penyimpanan import ambil_aduan, simpan_aduan
from .warga import aduan_publik

bp = Blueprint("halaman", __name__)


def formulir(data, galat, kode=200):
    """Halaman formulir aduan, dengan isian sebelumnya dan pesan galatnya."""
    return render_template("beranda.html", data=data, galat=galat, kecamatan=KECAMATAN, kategori=KATEGORI), kode


@bp.get("/")
def beranda():
    """Formulir aduan kosong."""
    return formulir({}, {})


@bp.post("/")
def kirim():
    """Menerima formulir aduan; menampilkan nomor tiket, atau formulir lagi dengan galatnya (400)."""
    bersih, galat = periksa_aduan(request.form.to_dict())
    if galat:
        return formulir(request.form, galat, 400)
    aduan = simpan_aduan(ambil_db(), bersih)
    return render_template("terkirim.html", aduan=aduan_publik(aduan))


@bp.get("/cek")
def cek():
    """Cek status aduan dengan ?tiket=...; 404 bila tiket tidak ditemukan."""
    tiket = request.args.get("tiket", "").strip().upper()
    if not tiket:
        return render_template("cek.html", tiket="", aduan=None)
    aduan = ambil_aduan(ambil_db(), tiket)
    if aduan is None:
        return render_template("cek.html", tiket=tiket, aduan=None), 404
    return render_template("cek.html", tiket=tiket, aduan=aduan_publik(aduan))
