"""Rute API untuk petugas OPD: daftar aduan lengkap, mengubah status, rekap per kecamatan."""
from flask import Blueprint, jsonify, request

from .aturan import KECAMATAN, STATUS, boleh_pindah
from .auth import perlu_petugas
from .db import ambil_db
from .penyimpanan import ambil_aduan, daftar_aduan, rekap_kecamatan, simpan_status

bp = Blueprint("petugas", __name__, url_prefix="/api/petugas")


@bp.get("/aduan")
@perlu_petugas
def daftar():
    """Daftar aduan lengkap (dengan nama dan nomor HP pelapor), bisa disaring ?status= dan ?kecamatan=."""
    status = request.args.get("status")
    if status is not None and status not in STATUS:
        return jsonify({"galat": "status harus salah satu dari: " + ", ".join(STATUS)}), 400
    kecamatan = request.args.get("kecamatan")
    if kecamatan is not None:
        cocok = [k for k in KECAMATAN if k.lower() == kecamatan.strip().lower()]
        if not cocok:
            return jsonify({"galat": "kecamatan harus salah satu dari: " + ", ".join(KECAMATAN)}), 400
        kecamatan = cocok[0]
    data = daftar_aduan(ambil_db(), status, kecamatan)
    return jsonify({"jumlah": len(data), "data": data})


@bp.patch("/aduan/<tiket>/status")
@perlu_petugas
def ubah_status(tiket):
    """Mengubah status aduan: 200, 400 (status tidak dikenal), 404 (tiket tidak ada), 409 (alur dilanggar)."""
    data = request.get_json(silent=True)
    status = data.get("status") if isinstance(data, dict) else None
    if status not in STATUS:
        return jsonify({"galat": "status harus salah satu dari: " + ", ".join(STATUS)}), 400
    db = ambil_db()
    aduan = ambil_aduan(db, tiket)
    if aduan is None:
        return jsonify({"galat": "aduan dengan tiket itu tidak ditemukan"}), 404
    if not boleh_pindah(aduan["status"], status):
        return jsonify({"galat": f"status {aduan['status']} tidak boleh menjadi {status}"}), 409
    return jsonify(simpan_status(db, tiket, status))


@bp.get("/rekap")
@perlu_petugas
def rekap():
    """Rekap jumlah aduan per kecamatan dan per status."""
    return jsonify({"data": rekap_kecamatan(ambil_db())})
