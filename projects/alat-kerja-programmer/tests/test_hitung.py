"""Hidden tests: the summaries of step 6."""
from project_fixtures import aduan


def test_per_status_memuat_semua_status(hitung):
    daftar = [aduan("baru"), aduan("selesai"), aduan("baru"), aduan("baru")]
    hasil = hitung.per_status(daftar)
    assert hasil == {"baru": 3, "diproses": 0, "selesai": 1, "ditolak": 0}, \
        "per_status harus memuat semua status di STATUS_SAH, juga yang jumlahnya 0"
    assert list(hasil) == ["baru", "diproses", "selesai", "ditolak"], "per_status harus urut seperti STATUS_SAH"


def test_persen_selesai_dibulatkan(hitung):
    pesan = "persen_selesai: persentase aduan selesai, dibulatkan 1 angka di belakang koma"
    assert hitung.persen_selesai([aduan("selesai"), aduan("baru"), aduan("ditolak")]) == 33.3, pesan
    assert hitung.persen_selesai([aduan("selesai"), aduan("selesai"), aduan("diproses")]) == 66.7, pesan
    assert hitung.persen_selesai([aduan("selesai")] * 4) == 100.0, pesan
    assert hitung.persen_selesai([aduan("selesai")] + [aduan("baru")] * 7) == 12.5, pesan


def test_daftar_kosong(hitung):
    assert hitung.persen_selesai([]) == 0.0, "persen_selesai([]) harus 0.0"
    assert hitung.per_status([]) == {"baru": 0, "diproses": 0, "selesai": 0, "ditolak": 0}, \
        "per_status([]) harus memuat semua status bernilai 0"
    assert hitung.per_kecamatan([]) == {}
