"""Uji publik: jalankan dengan `pytest`. Uji tersembunyi platform memeriksa lebih banyak hal."""
from rekap_aduan.baca import rapikan_baris
from rekap_aduan.hitung import per_kecamatan, per_status

CONTOH = [
    {"nomor": "ADU-0001", "tanggal": "2026-03-02", "kecamatan": "Pamulang", "kategori": "jalan", "status": "selesai"},
    {"nomor": "ADU-0002", "tanggal": "2026-03-02", "kecamatan": "Ciputat", "kategori": "sampah", "status": "baru"},
    {"nomor": "ADU-0003", "tanggal": "2026-03-03", "kecamatan": "Pamulang", "kategori": "lampu", "status": "baru"},
]


def test_nomor_tetap_teks():
    baris = {"nomor": "ADU-0007", "tanggal": "2026-03-05", "kecamatan": " PONDOK AREN ",
             "kategori": "Jalan", "status": "Diproses"}
    assert rapikan_baris(baris) == {"nomor": "ADU-0007", "tanggal": "2026-03-05", "kecamatan": "Pondok Aren",
                                    "kategori": "jalan", "status": "diproses"}


def test_per_kecamatan():
    assert per_kecamatan(CONTOH) == {"Pamulang": 2, "Ciputat": 1}


def test_per_status_memuat_semua_status():
    assert per_status(CONTOH) == {"baru": 2, "diproses": 0, "selesai": 1, "ditolak": 0}
