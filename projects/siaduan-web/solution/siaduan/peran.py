"""Pemeriksaan peran: halaman petugas hanya untuk petugas."""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def peran_wajib(peran):
    """Dekorator: pengguna harus masuk (bila belum: ke halaman masuk) dan berperan ``peran`` (bila bukan: 403)."""

    def hiasan(fungsi):
        @wraps(fungsi)
        @login_required
        def pembungkus(*args, **kwargs):
            if current_user.peran != peran:
                abort(403)
            return fungsi(*args, **kwargs)

        return pembungkus

    return hiasan
