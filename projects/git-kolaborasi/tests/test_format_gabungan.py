"""Hidden tests: format_aduan on main after both prepared branches are merged (the prepared conflict resolved)."""

ADUAN = {"nomor": 12, "judul": "  Lubang di Jl. Merdeka ", "kategori": "Jalan", "prioritas": "tinggi"}


def format_aduan(modul, aduan):
    return modul("aduan.format").format_aduan(aduan)


def test_kategori_dan_prioritas_bersama(modul):
    hasil = format_aduan(modul, ADUAN)
    assert hasil == "#12 [jalan] Lubang di Jl. Merdeka (prioritas: TINGGI)", (
        f"kedua fitur harus tampil bersama: kategori di depan judul, prioritas di akhir; didapat {hasil!r}")


def test_nilai_bawaan_kedua_fitur(modul):
    hasil = format_aduan(modul, {"nomor": 7, "judul": "Pohon tumbang"})
    assert hasil == "#7 [lainnya] Pohon tumbang (prioritas: NORMAL)", (
        f"tanpa kategori dan prioritas, pakai 'lainnya' dan 'NORMAL'; didapat {hasil!r}")
