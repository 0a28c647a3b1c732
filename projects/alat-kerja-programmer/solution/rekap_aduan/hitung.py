"""Menghitung ringkasan dari daftar aduan (hasil baca.baca_aduan)."""
from .baca import STATUS_SAH


def per_kecamatan(daftar):
    """Jumlah aduan per kecamatan: {"Pamulang": 3, "Ciputat": 1, ...}; kosong bila tidak ada aduan."""
    hasil = {}
    for aduan in daftar:
        kecamatan = aduan["kecamatan"]
        hasil[kecamatan] = hasil.get(kecamatan, 0) + 1
    return hasil


def per_status(daftar):
    """Jumlah aduan per status, dengan SEMUA status di STATUS_SAH (0 bila tidak ada), urut seperti STATUS_SAH."""
    hasil = {status: 0 for status in STATUS_SAH}
    for aduan in daftar:
        hasil[aduan["status"]] += 1
    return hasil


def persen_selesai(daftar):
    """Persentase aduan berstatus "selesai", dibulatkan 1 angka di belakang koma; 0.0 bila daftar kosong."""
    if not daftar:
        return 0.0
    selesai = sum(1 for aduan in daftar if aduan["status"] == "selesai")
    return round(100 * selesai / len(daftar), 1)
