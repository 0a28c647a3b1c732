"""Paket kecil pembantu SiAduan: teks aduan warga untuk daftar kerja petugas."""
