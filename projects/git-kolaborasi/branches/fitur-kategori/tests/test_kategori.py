"""Uji publik fitur kategori (dari cabang fitur-kategori)."""
from aduan.format import format_aduan


def test_kategori_dalam_kurung_siku_huruf_kecil():
    hasil = format_aduan({"nomor": 12, "judul": "Lubang di Jl. Merdeka", "kategori": "Jalan"})
    assert hasil.startswith("#12 [jalan] Lubang di Jl. Merdeka")


def test_kategori_bawaan_lainnya():
    assert "[lainnya]" in format_aduan({"nomor": 3, "judul": "Pohon tumbang"})
