"""Aturan data pengaduan: kolom yang wajib dan alur status."""

KATEGORI = ("jalan", "sampah", "air", "lampu", "lainnya")
STATUS = ("baru", "diproses", "selesai", "ditolak")
#: Dari status mana ke status mana sebuah pengaduan boleh berpindah.
ALUR_STATUS = {"baru": ("diproses", "ditolak"), "diproses": ("selesai",), "selesai": (), "ditolak": ()}


def _teks(data, kolom):
    """Nilai kolom sebagai teks tanpa spasi di tepi ("" bila tidak ada atau bukan teks)."""
    nilai = data.get(kolom)
    return nilai.strip() if isinstance(nilai, str) else ""


def periksa_pengaduan(data):
    """Mengembalikan {kolom: pesan} untuk setiap kolom yang salah; kosong bila data benar."""
    galat = {}
    if not 5 <= len(_teks(data, "judul")) <= 100:
        galat["judul"] = "judul harus 5-100 karakter"
    if len(_teks(data, "isi")) < 10:
        galat["isi"] = "isi minimal 10 karakter"
    if data.get("kategori") not in KATEGORI:
        galat["kategori"] = "kategori harus salah satu dari: " + ", ".join(KATEGORI)
    if not _teks(data, "pelapor"):
        galat["pelapor"] = "pelapor wajib diisi"
    return galat


def boleh_pindah(lama, baru):
    """Apakah pengaduan berstatus `lama` boleh berpindah ke `baru`?"""
    return baru in ALUR_STATUS.get(lama, ())
