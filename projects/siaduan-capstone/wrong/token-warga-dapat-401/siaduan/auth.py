"""Siapa yang memanggil API (token di header Authorization) dan pembatasan rute petugas."""
import hmac
from functools import wraps

from flask import current_app, jsonify, request


def token_dari_permintaan():
    """Token dari header `Authorization: Bearer <token>`, atau "" bila header itu tidak ada."""
    jenis, _, token = request.headers.get("Authorization", "").partition(" ")
    if jenis != "Bearer":
        return ""
    return token.strip()


def pengguna_saat_ini():
    """Akun (kamus dengan nama, peran, token) pemilik token permintaan ini, atau None."""
    token = token_dari_permintaan()
    if not token:
        return None
    for akun in current_app.config["AKUN"]:
        if hmac.compare_digest(token.encode(), akun["token"].encode()):
            return akun
    return None


def perlu_petugas(fungsi):
    """Dekorator rute petugas: 401 tanpa token yang sah, 403 bila pemilik token bukan petugas."""
    @wraps(fungsi)
    def pembungkus(*args, **kwargs):
        akun = pengguna_saat_ini()
        if akun is None or akun["peran"] != "petugas":
            jawaban = jsonify({"galat": "perlu token petugas: kirim header Authorization: Bearer <token>"})
            return jawaban, 401, {"WWW-Authenticate": "Bearer"}
        return fungsi(*args, **kwargs)
    return pembungkus
