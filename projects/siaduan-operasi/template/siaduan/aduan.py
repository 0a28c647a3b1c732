"""Rute JSON aduan warga dan log masuk petugas (sudah jadi; Anda tidak perlu mengubahnya)."""
from flask import Blueprint, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.security import check_password_hash

from .db import get_db

bp = Blueprint("aduan", __name__, url_prefix="/api")

#: Status yang boleh dituju dari setiap status.
ALUR_STATUS = {"baru": {"diproses", "ditolak"}, "diproses": {"selesai", "ditolak"}, "selesai": set(), "ditolak": set()}
#: Token petugas berlaku 8 jam.
UMUR_TOKEN_DETIK = 8 * 60 * 60


def _penanda_token():
    """Pembuat dan pemeriksa token, ditandatangani dengan SECRET_KEY aplikasi."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="token-petugas")


def _petugas_dari_token():
    """Nama petugas dari header Authorization: Bearer <token>, atau None."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    try:
        return _penanda_token().loads(header.removeprefix("Bearer "), max_age=UMUR_TOKEN_DETIK)
    except BadSignature:
        return None


def _sebagai_data(baris):
    """Satu baris tabel aduan sebagai dict."""
    return {"id": baris["id"], "judul": baris["judul"], "isi": baris["isi"],
            "pelapor": baris["pelapor"], "status": baris["status"]}


def _periksa(data):
    """Galat per kolom dari data aduan baru (dict kosong bila benar)."""
    galat = {}
    for kolom, minimal in (("judul", 5), ("isi", 10), ("pelapor", 1)):
        nilai = data.get(kolom)
        if not isinstance(nilai, str) or len(nilai.strip()) < minimal:
            galat[kolom] = f"{kolom} wajib diisi, minimal {minimal} karakter"
    return galat


@bp.get("/aduan")
def daftar():
    """Semua aduan, urut menurut id."""
    baris = get_db().execute("SELECT * FROM aduan ORDER BY id").fetchall()
    return [_sebagai_data(b) for b in baris]


@bp.post("/aduan")
def buat():
    """Aduan baru dari warga (status awal: baru)."""
    data = request.get_json(silent=True) or {}
    galat = _periksa(data)
    if galat:
        return {"galat": galat}, 400
    db = get_db()
    kursor = db.execute("INSERT INTO aduan (judul, isi, pelapor) VALUES (?, ?, ?)",
                        (data["judul"].strip(), data["isi"].strip(), data["pelapor"].strip()))
    db.commit()
    baris = db.execute("SELECT * FROM aduan WHERE id = ?", (kursor.lastrowid,)).fetchone()
    return _sebagai_data(baris), 201


@bp.get("/aduan/<int:nomor>")
def ambil(nomor):
    """Satu aduan, atau 404."""
    baris = get_db().execute("SELECT * FROM aduan WHERE id = ?", (nomor,)).fetchone()
    if baris is None:
        return {"galat": "aduan tidak ditemukan"}, 404
    return _sebagai_data(baris)


@bp.post("/masuk")
def masuk():
    """Log masuk petugas: {"nama", "kata_sandi"} -> {"token"}, atau 401."""
    data = request.get_json(silent=True) or {}
    baris = get_db().execute("SELECT * FROM petugas WHERE nama = ?", (data.get("nama"),)).fetchone()
    if baris is None or not check_password_hash(baris["hash_sandi"], str(data.get("kata_sandi", ""))):
        return {"galat": "nama atau kata sandi salah"}, 401
    return {"token": _penanda_token().dumps(baris["nama"])}


@bp.patch("/aduan/<int:nomor>/status")
def ubah_status(nomor):
    """Petugas mengubah status aduan mengikuti ALUR_STATUS (butuh token)."""
    if _petugas_dari_token() is None:
        return {"galat": "hanya petugas yang sudah masuk"}, 401
    status = (request.get_json(silent=True) or {}).get("status")
    if status not in ALUR_STATUS:
        return {"galat": "status tidak dikenal"}, 400
    db = get_db()
    baris = db.execute("SELECT * FROM aduan WHERE id = ?", (nomor,)).fetchone()
    if baris is None:
        return {"galat": "aduan tidak ditemukan"}, 404
    if status not in ALUR_STATUS[baris["status"]]:
        return {"galat": f"status {baris['status']} tidak boleh menjadi {status}"}, 409
    db.execute("UPDATE aduan SET status = ? WHERE id = ?", (status, nomor))
    db.commit()
    return _sebagai_data(db.execute("SELECT * FROM aduan WHERE id = ?", (nomor,)).fetchone())
