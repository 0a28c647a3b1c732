"""Uji milik saya: persen selesai dan perapian baris CSV."""
import pytest

from rekap_aduan.baca import rapikan_baris
from rekap_aduan.hitung import persen_selesai


def test_persen_selesai_dua_dari_tiga():
    daftar = [{"status": "selesai"}, {"status": "selesai"}, {"status": "baru"}]
    assert persen_selesai(daftar) == 66.6


def test_persen_selesai_daftar_kosong():
    assert persen_selesai([]) == 0.0


def test_status_tidak_dikenal_ditolak():
    baris = {"nomor": "ADU-0100", "tanggal": "2026-04-01", "kecamatan": "Setu", "kategori": "air", "status": "hilang"}
    with pytest.raises(ValueError):
        rapikan_baris(baris)
