"""Rute API untuk warga: mengirim aduan dan melihat status aduan dengan nomor tiket (tanpa token)."""
from flask import Blueprint, jsonify, request

from .aturan import periksa_aduan
from .db import ambil_db
from .penyimpanan import ambil_aduan, daftar_aduan, simpan_aduan

bp = Blueprint("warga", __name__, url_prefix="/api/aduan")

#: Kolom aduan yang boleh dilihat siapa saja. Nama pelapor, nomor HP dan isi aduan TIDAK termasuk.
KOLOM_PUBLIK = ("tiket", "status", "kecamatan", "kategori", "dibuat", "diperbarui")


def aduan_publik(aduan):
    """Salinan aduan yang aman ditampilkan tanpa token: hanya kolom KOLOM_PUBLIK."""
    return {kolom: aduan[kolom] for kolom in KOLOM_PUBLIK}


@bp.post("")
def buat():
    """Menerima aduan baru: 201 dengan data publiknya, atau 400 dengan galat per kolom."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return jsonify({"galat": {"_": "kirim data aduan sebagai objek JSON"}}), 400
    bersih, galat = periksa_aduan(data)
    if galat:
        return jsonify({"galat": galat}), 400
    return jsonify(aduan_publik(simpan_aduan(ambil_db(), bersih))), 201


@bp.get("")
def daftar():
    """Papan aduan publik: semua aduan, hanya kolom publiknya."""
    data = daftar_aduan(ambil_db())
    return jsonify({"jumlah": len(data), "data": data})


@bp.get("/<tiket>")
def lihat(tiket):
    """Status satu aduan menurut nomor tiketnya, atau 404."""
    aduan = ambil_aduan(ambil_db(), tiket.strip().upper())
    if aduan is None:
        return jsonify({"galat": "aduan dengan tiket itu tidak ditemukan"}), 404
    return jsonify(aduan_publik(aduan))
