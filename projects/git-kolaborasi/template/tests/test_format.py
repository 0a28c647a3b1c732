"""Uji publik format aduan: jalankan dengan `pytest`."""
from aduan.format import format_aduan

CONTOH = {"nomor": 12, "judul": "  Lubang di Jl. Merdeka ", "kategori": "Jalan", "prioritas": "tinggi"}


def test_nomor_dan_judul():
    hasil = format_aduan(CONTOH)
    assert hasil.startswith("#12 ")
    assert "Lubang di Jl. Merdeka" in hasil
