"""Hidden tests: reading the CSV (the seeded bug of step 4 is fixed)."""
import pytest

from project_fixtures import LIMA_ADUAN

pytestmark = pytest.mark.baca


def test_nomor_aduan_tetap_teks(modul):
    baca = modul("rekap_aduan.baca")
    baris = {"nomor": "ADU-0042", "tanggal": " 2026-05-02 ", "kecamatan": " serpong utara ",
             "kategori": "Lampu", "status": " Diproses"}
    assert baca.rapikan_baris(baris) == {"nomor": "ADU-0042", "tanggal": "2026-05-02", "kecamatan": "Serpong Utara",
                                         "kategori": "lampu", "status": "diproses"}, \
        "rapikan_baris: nomor aduan harus tetap teks seperti di berkas (mis. 'ADU-0042'), kolom lain dirapikan"


def test_baca_berkas_csv(modul, tulis_csv):
    daftar = modul("rekap_aduan.baca").baca_aduan(tulis_csv(LIMA_ADUAN))
    assert [aduan["nomor"] for aduan in daftar] == ["ADU-0201", "ADU-0202", "ADU-0203", "ADU-0204", "ADU-0205"], \
        "baca_aduan harus mengembalikan setiap baris berkas, dengan nomor aduan apa adanya"
    assert daftar[1]["kecamatan"] == "Pondok Aren" and daftar[1]["status"] == "selesai", \
        "baca_aduan harus merapikan setiap baris dengan rapikan_baris"


def test_status_tidak_dikenal_tetap_ditolak(modul):
    baris = {"nomor": "ADU-0043", "tanggal": "2026-05-02", "kecamatan": "Setu", "kategori": "air", "status": "hilang"}
    with pytest.raises(ValueError, match="status tidak dikenal"):
        modul("rekap_aduan.baca").rapikan_baris(baris)
