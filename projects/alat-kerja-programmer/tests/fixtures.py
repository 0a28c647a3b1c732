"""Fixtures shared by the hidden tests (loaded by the platform with -p, never by the trainee).

The trainee's modules come through ``modul(...)`` as handles. The CSV files a test needs are written
here, in the harness, into a fresh folder under /tmp that the trainee's process (another uid in the
same sandbox) may read: the trainee's own tree is read-only and its data/ may have been changed.
"""
import os
import shutil
import tempfile

import pytest

#: The header row of every complaint file.
KOLOM = "nomor,tanggal,kecamatan,kategori,status"

#: Five complaints unlike the template's data/aduan.csv: messy spacing and case on purpose.
LIMA_ADUAN = [
    "ADU-0201,2026-05-04,Setu,air,baru",
    "ADU-0202,2026-05-04, pondok aren ,Jalan,Selesai",
    "ADU-0203,2026-05-05,Serpong Utara,lampu,diproses",
    "ADU-0204,2026-05-06,PONDOK AREN,sampah,selesai",
    "ADU-0205,2026-05-06,Setu,drainase,ditolak",
]


@pytest.fixture
def tulis_csv():
    """A function that writes a CSV file (the header, then the given rows) the trainee can read; returns its path."""
    folder = tempfile.mkdtemp(prefix="rekap-aduan-")
    os.chmod(folder, 0o755)  # mkdtemp makes it 0700: the trainee's uid could not enter

    def tulis(baris, nama="aduan.csv"):
        jalur = os.path.join(folder, nama)
        with open(jalur, "w", encoding="utf-8") as berkas:
            berkas.write("\n".join([KOLOM, *baris]) + "\n")
        os.chmod(jalur, 0o644)
        return jalur

    yield tulis
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def hitung(modul):
    """The trainee's rekap_aduan.hitung module (a handle)."""
    return modul("rekap_aduan.hitung")


@pytest.fixture
def main(modul):
    """The trainee's command-line entry point, main(argv) -> the report text."""
    return modul("rekap_aduan.__main__").main


def aduan(status, kecamatan="Setu"):
    """A complaint as baca_aduan returns it, with the given status."""
    return {"nomor": "ADU-0900", "tanggal": "2026-05-01", "kecamatan": kecamatan, "kategori": "jalan", "status": status}
