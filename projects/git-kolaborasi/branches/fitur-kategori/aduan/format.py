"""Teks satu baris untuk setiap aduan di daftar kerja petugas SiAduan."""


def format_aduan(aduan):
    """Ringkasan satu baris dengan kategori, misalnya "#12 [jalan] Lubang di Jl. Merdeka"."""
    nomor = aduan["nomor"]
    judul = aduan["judul"].strip()
    kategori = aduan.get("kategori", "lainnya").strip().lower()
    return f"#{nomor} [{kategori}] {judul}"
