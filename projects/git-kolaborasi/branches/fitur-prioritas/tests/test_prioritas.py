"""Uji publik fitur prioritas (dari cabang fitur-prioritas)."""
from aduan.format import format_aduan


def test_prioritas_di_akhir_huruf_besar():
    hasil = format_aduan({"nomor": 12, "judul": "Lubang di Jl. Merdeka", "prioritas": "tinggi"})
    assert hasil.endswith("Lubang di Jl. Merdeka (prioritas: TINGGI)")


def test_prioritas_bawaan_normal():
    assert format_aduan({"nomor": 3, "judul": "Pohon tumbang"}).endswith("(prioritas: NORMAL)")
