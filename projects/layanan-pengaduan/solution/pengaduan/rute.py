"""Rute API pengaduan."""
from flask import Blueprint, current_app, jsonify, request

from .validasi import STATUS, boleh_pindah, periksa_pengaduan

bp = Blueprint("pengaduan", __name__, url_prefix="/api/pengaduan")


def penyimpanan():
    """Penyimpanan milik aplikasi yang sedang berjalan."""
    return current_app.extensions["pengaduan"]


@bp.post("")
def buat():
    """Membuat pengaduan baru (201), atau 400 dengan galat per kolom."""
    data = request.get_json(silent=True) or {}
    galat = periksa_pengaduan(data)
    if galat:
        return jsonify({"galat": galat}), 400
    return jsonify(penyimpanan().tambah(data)), 201


@bp.get("")
def daftar():
    """Daftar pengaduan, bisa disaring dengan ?status=..."""
    return jsonify(penyimpanan().semua(request.args.get("status")))


@bp.get("/<int:nomor>")
def lihat(nomor):
    """Satu pengaduan, atau 404."""
    pengaduan = penyimpanan().ambil(nomor)
    if pengaduan is None:
        return jsonify({"galat": "pengaduan tidak ditemukan"}), 404
    return jsonify(pengaduan)


@bp.patch("/<int:nomor>/status")
def ubah_status(nomor):
    """Mengubah status pengaduan: 200, 400 (status tidak dikenal), 404, atau 409 (tidak diizinkan)."""
    status = (request.get_json(silent=True) or {}).get("status")
    if status not in STATUS:
        return jsonify({"galat": "status tidak dikenal"}), 400
    pengaduan = penyimpanan().ambil(nomor)
    if pengaduan is None:
        return jsonify({"galat": "pengaduan tidak ditemukan"}), 404
    if not boleh_pindah(pengaduan["status"], status):
        return jsonify({"galat": f"status {pengaduan['status']} tidak boleh menjadi {status}"}), 409
    return jsonify(penyimpanan().ubah_status(nomor, status))
