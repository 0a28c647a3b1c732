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
    # TODO (langkah 6): tulis fungsi ini. Contohnya per_kecamatan di atas.
    # Bedanya: setiap status di STATUS_SAH harus muncul, walaupun jumlahnya 0.
    raise NotImplementedError("per_status belum ditulis (lihat README, langkah 6)")


def persen_selesai(daftar):
    """Persentase aduan berstatus "selesai", dibulatkan 1 angka di belakang koma; 0.0 bila daftar kosong."""
    # TODO (langkah 6): tulis fungsi ini. Contoh: 2 selesai dari 3 aduan -> 66.7
    raise NotImplementedError("persen_selesai belum ditulis (lihat README, langkah 6)")
