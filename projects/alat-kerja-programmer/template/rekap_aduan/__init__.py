"""Rekap aduan warga: membaca berkas CSV aduan dan membuat laporan ringkas.

Jalankan dari folder proyek:  python -m rekap_aduan data/aduan.csv
"""
