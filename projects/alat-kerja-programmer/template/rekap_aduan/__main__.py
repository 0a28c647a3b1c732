"""Program baris perintah: python -m rekap_aduan BERKAS.csv"""
import sys

from .baca import baca_aduan
from .laporan import buat_laporan

CARA_PAKAI = "Cara pakai: python -m rekap_aduan BERKAS.csv"


def main(argv):
    """Membuat laporan dari berkas yang disebut di argv; mengembalikan teks yang dicetak."""
    if len(argv) != 1:
        return CARA_PAKAI
    jalur = argv[0]
    # TODO (langkah 7): berkas yang tidak ada dan data yang tidak sah jangan sampai
    # menampilkan traceback. Kembalikan pesan yang jelas:
    #   berkas tidak ada (FileNotFoundError) -> "Berkas tidak ditemukan: <jalur>"
    #   data tidak sah (ValueError)          -> "Data tidak sah: <pesan galatnya>"
    daftar = baca_aduan(jalur)
    return buat_laporan(daftar)


if __name__ == "__main__":
    print(main(sys.argv[1:]))
