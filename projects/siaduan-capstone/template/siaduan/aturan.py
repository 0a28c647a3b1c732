"""Aturan SiAduan: kecamatan, kategori, validasi data aduan, dan alur status."""
import re

KECAMATAN = ("Serpong", "Serpong Utara", "Ciputat", "Ciputat Timur", "Pamulang", "Pondok Aren", "Setu")
KATEGORI = ("jalan", "sampah", "penerangan", "banjir", "lainnya")
STATUS = ("baru", "diproses", "selesai", "ditolak")
#: Dari status mana ke status mana sebuah aduan boleh berpindah.
ALUR_STATUS = {
    "baru": ("diproses", "ditolak"),
    "diproses": ("selesai", "ditolak"),
    "selesai": (),
    "ditolak": (),
}
KOLOM_ADUAN = ("pelapor", "telepon", "kecamatan", "kategori", "isi")


def _teks(data, kolom):
    """Nilai kolom sebagai teks tanpa spasi di tepi ("" bila tidak ada atau bukan teks)."""
    nilai = data.get(kolom)
    return nilai.strip() if isinstance(nilai, str) else ""


def normalkan_telepon(teks):
    """Nomor HP Indonesia dalam bentuk baku +628..., atau None bila bukan nomor HP."""
    angka = re.sub(r"[\s\-.()]", "", teks)
    cocok = re.fullmatch(r"(?:\+62|62|0)(8\d{8,11})", angka)
    return "+62" + cocok.group(1) if cocok else None


def periksa_aduan(data):
    """(bersih, galat): data aduan yang sudah dinormalkan, dan {kolom: pesan} untuk kolom yang salah."""
    galat, bersih = {}, {}
    for kolom in data:
        if kolom not in KOLOM_ADUAN:
            galat[kolom] = "kolom ini tidak boleh diisi warga"
    pelapor = _teks(data, "pelapor")
    if 3 <= len(pelapor) <= 100:
        bersih["pelapor"] = pelapor
    else:
        galat["pelapor"] = "nama pelapor harus 3-100 karakter"
    telepon = normalkan_telepon(_teks(data, "telepon"))
    if telepon:
        bersih["telepon"] = telepon
    else:
        galat["telepon"] = "nomor HP tidak valid (contoh: 0812-3456-7890)"
    kecamatan = [k for k in KECAMATAN if k.lower() == _teks(data, "kecamatan").lower()]
    if kecamatan:
        bersih["kecamatan"] = kecamatan[0]
    else:
        galat["kecamatan"] = "kecamatan harus salah satu dari: " + ", ".join(KECAMATAN)
    kategori = _teks(data, "kategori").lower()
    if kategori in KATEGORI:
        bersih["kategori"] = kategori
    else:
        galat["kategori"] = "kategori harus salah satu dari: " + ", ".join(KATEGORI)
    isi = _teks(data, "isi")
    if 10 <= len(isi) <= 2000:
        bersih["isi"] = isi
    else:
        galat["isi"] = "isi aduan harus 10-2000 karakter"
    return bersih, galat


def boleh_pindah(lama, baru):
    """Apakah aduan berstatus `lama` boleh berpindah ke status `baru`?"""
    # TODO (Tugas 3): gunakan ALUR_STATUS.
    raise NotImplementedError("boleh_pindah belum dibuat")
