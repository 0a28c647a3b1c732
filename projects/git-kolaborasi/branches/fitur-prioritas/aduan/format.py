"""Teks satu baris untuk setiap aduan di daftar kerja petugas SiAduan."""


def format_aduan(aduan):
    """Ringkasan satu baris dengan prioritas, misalnya "#12 Lubang di Jl. Merdeka (prioritas: TINGGI)"."""
    nomor = aduan["nomor"]
    judul = aduan["judul"].strip()
    prioritas = aduan.get("prioritas", "normal").strip().upper()
    return f"#{nomor} {judul} (prioritas: {prioritas})"
