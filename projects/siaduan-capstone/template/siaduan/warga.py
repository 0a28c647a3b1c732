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
    # TODO (Tugas 2): kamus baru yang hanya memuat kolom-kolom KOLOM_PUBLIK dari `aduan`.
    raise NotImplementedError("aduan_publik belum dibuat")


@bp.post("")
def buat():
    """Menerima aduan baru: 201 dengan data publiknya, atau 400 dengan galat per kolom."""
    # TODO (Tugas 2): baca JSON dengan request.get_json(silent=True); bukan kamus -> 400 {"galat": {...}}.
    # Periksa dengan periksa_aduan(data); ada galat -> 400 {"galat": galat}.
    # Simpan dengan simpan_aduan(ambil_db(), bersih) dan jawab 201 dengan aduan_publik(...) saja.
    return jsonify({"galat": "belum dibuat"}), 501


@bp.get("")
def daftar():
    """Papan aduan publik: semua aduan, hanya kolom publiknya."""
    # TODO (Tugas 2): {"jumlah": n, "data": [...]} dari daftar_aduan(ambil_db()), setiap aduan lewat aduan_publik.
    return jsonify({"galat": "belum dibuat"}), 501


@bp.get("/<tiket>")
def lihat(tiket):
    """Status satu aduan menurut nomor tiketnya, atau 404."""
    # TODO (Tugas 2): ambil_aduan(ambil_db(), tiket); tidak ada -> 404 {"galat": ...}; ada -> aduan_publik(aduan).
    return jsonify({"galat": "belum dibuat"}), 501
