"""Aturan data pengaduan: kolom yang wajib dan alur status."""

KATEGORI = ("jalan", "sampah", "air", "lampu", "lainnya")
STATUS = ("baru", "diproses", "selesai", "ditolak")
#: Dari status mana ke status mana sebuah pengaduan boleh berpindah.
ALUR_STATUS = {"baru": ("diproses", "ditolak"), "diproses": ("selesai",), "selesai": (), "ditolak": ()}


def periksa_pengaduan(data):
    """Mengembalikan {kolom: pesan} untuk setiap kolom yang salah; kosong bila data benar."""
    # TODO: judul 5-100 karakter, isi minimal 10 karakter, kategori dari KATEGORI, pelapor tidak kosong.
    raise NotImplementedError("periksa_pengaduan belum dibuat")


def boleh_pindah(lama, baru):
    """Apakah pengaduan berstatus `lama` boleh berpindah ke `baru`?"""
    # TODO: gunakan ALUR_STATUS.
    raise NotImplementedError("boleh_pindah belum dibuat")
