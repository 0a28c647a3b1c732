"""Teks satu baris untuk setiap aduan di daftar kerja petugas SiAduan."""


def format_aduan(aduan):
    """Ringkasan satu baris dengan kategori dan prioritas.

    Misalnya "#12 [jalan] Lubang di Jl. Merdeka (prioritas: TINGGI)".
    """
    nomor = aduan["nomor"]
    judul = aduan["judul"].strip()
    kategori = aduan.get("kategori", "lainnya").strip().lower()
    prioritas = aduan.get("prioritas", "normal").strip().upper()
    return f"#{nomor} [{kategori}] {judul} (prioritas: {prioritas})"
