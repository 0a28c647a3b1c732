"""Teks satu baris untuk setiap aduan di daftar kerja petugas SiAduan."""


def format_aduan(aduan):
    """Ringkasan satu baris sebuah aduan, misalnya "#12 Lubang di Jl. Merdeka"."""
    nomor = aduan["nomor"]
    judul = aduan["judul"].strip()
    return f"#{nomor} {judul}"
