"""Hidden tests: the command line, main(argv) -> the text it prints (steps 6 and 7)."""
import os

from project_fixtures import LIMA_ADUAN


def kata_per_baris(teks):
    """The report's lines as lists of words (spacing does not matter)."""
    return [baris.split() for baris in teks.splitlines()]


def test_main_mencetak_laporan(main, tulis_csv):
    teks = main([tulis_csv(LIMA_ADUAN)])
    assert isinstance(teks, str), "main(argv) harus mengembalikan teks laporan (return), bukan mencetaknya"
    baris = kata_per_baris(teks)
    assert ["Jumlah", "aduan:", "5"] in baris, "laporan harus memuat 'Jumlah aduan: 5' untuk berkas berisi 5 aduan"
    assert ["Selesai:", "40.0%"] in baris, "2 dari 5 aduan selesai: laporan harus memuat 'Selesai: 40.0%'"
    for status, jumlah in (("baru", "1"), ("diproses", "1"), ("selesai", "2"), ("ditolak", "1")):
        assert [status, jumlah] in baris, f"jumlah aduan berstatus {status} harus {jumlah}"
    assert ["Pondok", "Aren", "2"] in baris and ["Setu", "2"] in baris, "jumlah per kecamatan salah"


def test_main_berkas_kosong(main, tulis_csv):
    teks = main([tulis_csv([], nama="kosong.csv")])
    assert isinstance(teks, str), "main(argv) harus mengembalikan teks laporan (return), bukan mencetaknya"
    baris = kata_per_baris(teks)
    assert ["Jumlah", "aduan:", "0"] in baris and ["Selesai:", "0.0%"] in baris, \
        "berkas tanpa aduan: laporan harus memuat 'Jumlah aduan: 0' dan 'Selesai: 0.0%'"


def test_main_pesan_galat(main, tulis_csv):
    jalur = os.path.join(os.path.dirname(tulis_csv([])), "tidak-ada.csv")
    assert main([jalur]) == f"Berkas tidak ditemukan: {jalur}", \
        "berkas yang tidak ada: main harus mengembalikan 'Berkas tidak ditemukan: <jalur>'"
    rusak = tulis_csv(["ADU-0301,2026-05-07,Setu,air,baru", "ADU-0302,2026-05-07,Serpong,jalan,hilang"], nama="rusak.csv")
    teks = main([rusak])
    assert isinstance(teks, str) and teks.startswith("Data tidak sah: ") and "hilang" in teks, \
        "data dengan status tidak dikenal: main harus mengembalikan 'Data tidak sah: <pesan galat>'"
