"""Menyusun teks laporan dari daftar aduan."""
from .hitung import per_kecamatan, per_status, persen_selesai


def buat_laporan(daftar):
    """Teks laporan: jumlah aduan, persen selesai, jumlah per status dan per kecamatan (terbanyak dulu)."""
    baris = [
        "REKAP ADUAN WARGA",
        f"Jumlah aduan: {len(daftar)}",
        f"Selesai: {persen_selesai(daftar)}%",
        "",
        "Per status:",
    ]
    for status, jumlah in per_status(daftar).items():
        baris.append(f"  {status:<12}{jumlah:>4}")
    baris += ["", "Per kecamatan:"]
    urutan = sorted(per_kecamatan(daftar).items(), key=lambda pasangan: (-pasangan[1], pasangan[0]))
    for kecamatan, jumlah in urutan:
        baris.append(f"  {kecamatan:<16}{jumlah:>4}")
    if not daftar:
        baris.append("  (belum ada aduan)")
    return "\n".join(baris)
