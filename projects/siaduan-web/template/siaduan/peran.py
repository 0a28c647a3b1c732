"""Pemeriksaan peran: halaman petugas hanya untuk petugas."""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def peran_wajib(peran):
    """Dekorator: pengguna harus masuk (bila belum: ke halaman masuk) dan berperan ``peran`` (bila bukan: 403)."""

    def hiasan(fungsi):
        # TODO (tugas 4): kembalikan fungsi pembungkus (pakai @wraps(fungsi) dan @login_required)
        # yang memanggil abort(403) bila current_user.peran bukan ``peran``.
        return fungsi

    return hiasan
