"""Menyimpan dan membaca aduan di SQLite (selalu dengan parameter ?, tidak pernah merangkai SQL)."""
import secrets
from datetime import datetime

from .aturan import KECAMATAN, STATUS


def sekarang():
    """Waktu sekarang sebagai teks ISO, mis. 2026-03-05T09:15:00."""
    return datetime.now().isoformat(timespec="seconds")


def buat_tiket():
    """Nomor tiket acak yang sulit ditebak, mis. ADU-7F3A9C01."""
    return "ADU-" + secrets.token_hex(4).upper()


def simpan_aduan(db, bersih):
    """Menyimpan aduan baru (status "baru") dari data yang sudah diperiksa; mengembalikan aduan itu."""
    waktu = sekarang()
    tiket = buat_tiket()
    db.execute(
        "INSERT INTO aduan (tiket, pelapor, telepon, kecamatan, kategori, isi, status, dibuat, diperbarui)"
        " VALUES (?, ?, ?, ?, ?, ?, 'baru', ?, ?)",
        (tiket, bersih["pelapor"], bersih["telepon"], bersih["kecamatan"], bersih["kategori"], bersih["isi"],
         waktu, waktu),
    )
    db.commit()
    return ambil_aduan(db, tiket)


def ambil_aduan(db, tiket):
    """Aduan (kamus semua kolom) dengan nomor `tiket`, atau None."""
    baris = db.execute("SELECT * FROM aduan WHERE tiket = ?", (tiket,)).fetchone()
    return dict(baris) if baris else None


def daftar_aduan(db, status=None, kecamatan=None):
    """Semua aduan urut waktu masuk; disaring menurut status dan/atau kecamatan bila diberikan."""
    baris = db.execute(
        "SELECT * FROM aduan WHERE (? IS NULL OR status = ?) AND (? IS NULL OR kecamatan = ?) ORDER BY id",
        (status, status, kecamatan, kecamatan),
    ).fetchall()
    return [dict(b) for b in baris]


def simpan_status(db, tiket, status):
    """Mengganti status aduan `tiket` (tanpa memeriksa alur); mengembalikan aduan terbaru."""
    db.execute("UPDATE aduan SET status = ?, diperbarui = ? WHERE tiket = ?", (status, sekarang(), tiket))
    db.commit()
    return ambil_aduan(db, tiket)


def rekap_kecamatan(db):
    """Untuk setiap kecamatan (urutan KECAMATAN): jumlah aduan seluruhnya dan per status."""
    angka = {}
    for kecamatan, status, jumlah in db.execute(
            "SELECT kecamatan, status, COUNT(*) FROM aduan GROUP BY kecamatan, status"):
        angka[(kecamatan, status)] = jumlah
    hasil = []
    for kecamatan in KECAMATAN:
        baris = {"kecamatan": kecamatan}
        for status in STATUS:
            baris[status] = angka.get((kecamatan, status), 0)
        baris["total"] = sum(baris[status] for status in STATUS)
        hasil.append(baris)
    return hasil
