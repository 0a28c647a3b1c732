"""Membaca berkas CSV aduan warga menjadi daftar kamus yang rapi."""
import csv

#: Status yang sah, dalam urutan alurnya.
STATUS_SAH = ("baru", "diproses", "selesai", "ditolak")


def rapikan_baris(baris):
    """Merapikan satu baris CSV menjadi kamus aduan; status yang tidak dikenal ditolak.

    Hasilnya: {"nomor": teks apa adanya (mis. "ADU-0001"), "tanggal": teks,
    "kecamatan": huruf awal besar (mis. "Pondok Aren"), "kategori": huruf kecil,
    "status": huruf kecil, salah satu dari STATUS_SAH}.
    """
    nomor = baris["nomor"].strip()
    status = baris["status"].strip().lower()
    if status not in STATUS_SAH:
        raise ValueError(f"status tidak dikenal pada aduan {nomor}: {status!r}")
    return {
        "nomor": nomor,
        "tanggal": baris["tanggal"].strip(),
        "kecamatan": baris["kecamatan"].strip().title(),
        "kategori": baris["kategori"].strip().lower(),
        "status": status,
    }


def baca_aduan(jalur):
    """Membaca berkas CSV di `jalur` (juga CSV UTF-8 simpanan Excel) menjadi daftar aduan yang rapi."""
    daftar = []
    with open(jalur, encoding="utf-8-sig", newline="") as berkas:
        for baris in csv.DictReader(berkas):
            daftar.append(rapikan_baris(baris))
    return daftar
