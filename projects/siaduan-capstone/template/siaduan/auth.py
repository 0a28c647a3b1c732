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
    # TODO (Tugas 1): ambil token dengan token_dari_permintaan(); token kosong -> None.
    # Cari akun di current_app.config["AKUN"] yang tokennya sama. Bandingkan dengan
    # hmac.compare_digest atas bytes (token.encode()), JANGAN dengan ==. Tidak ada yang cocok -> None.
    raise NotImplementedError("pengguna_saat_ini belum dibuat")


def perlu_petugas(fungsi):
    """Dekorator rute petugas: 401 tanpa token yang sah, 403 bila pemilik token bukan petugas."""
    @wraps(fungsi)
    def pembungkus(*args, **kwargs):
        # TODO (Tugas 1): akun = pengguna_saat_ini().
        # Tidak ada akun -> 401 dengan {"galat": ...}; akun bukan petugas -> 403 dengan {"galat": ...};
        # selain itu jalankan rutenya: return fungsi(*args, **kwargs).
        raise NotImplementedError("perlu_petugas belum dibuat")
    return pembungkus
