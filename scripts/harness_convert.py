"""Adapt the shipped notebooks' test cells to the test harness (test cells run outside the trainee's kernel).

Since issue 11, test cells run in a separate harness process that sees the trainee's values only as
plain data (copies) or opaque handles. Fixtures that trainee code must receive (sqlite connections,
Flask apps, StringIO, loggers, "mutants" for tests of tests) therefore move into
``### BEGIN SETUP`` / ``### END SETUP`` blocks, which run in the trainee's process.

Every change is a small text replacement inside one cell (found by its nbgrader grade_id), applied
only when its old text is found, so the script can be run again on top of other people's edits to
the same notebooks. Run from the project root:

    python scripts/harness_convert.py            # apply and write the notebooks
    python scripts/harness_convert.py --check    # only report what would change

Each replacement prints one line: "applied", "already applied", or "NOT FOUND" (then adapt it by hand).
Afterwards the script warns about names that a SETUP block assigns after a harness part of the same
notebook already assigned them (the harness would keep seeing its own older value).
"""

import ast
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent / "notebooks" / "programmer-pemerintahan"

SETUP_BEGIN = "### BEGIN SETUP"
SETUP_END = "### END SETUP"

# The list-subclass trick: a plain list crosses to the harness as a copy, so `is` between two copies is
# always False; an instance of a subclass crosses as a handle, and one object is always the same handle.
DAFTAR_UJI = r'''class DaftarUji(list):
    """List biasa; penguji menerimanya sebagai objek sehingga identitasnya (is) dapat diperiksa."""
'''
KAMUS_UJI = r'''class KamusUji(dict):
    """Dictionary biasa; penguji menerimanya sebagai objek sehingga identitasnya (is) dapat diperiksa."""
'''

# (notebook path under ROOT, grade_id, old text, new text)
REPLACEMENTS = [
    # --- 01-dasar-python/06-list: `is` between copies is always False; a copy passed to the trainee
    # hides in-place changes.
    ("01-dasar-python/06-list.ipynb", "uji-tambah",
     r'''d = []
hasil = tambah_kecamatan(d, "pondok aren")
assert d == ["Pondok Aren"] and hasil is d,''',
     r'''### BEGIN SETUP
''' + DAFTAR_UJI + r'''d = DaftarUji()
### END SETUP
hasil = tambah_kecamatan(d, "pondok aren")
assert d.copy() == ["Pondok Aren"] and hasil is d,'''),
    ("01-dasar-python/06-list.ipynb", "uji-tiga",
     r'''asli = [3, 1, 2, 5]
tiga_terbesar(asli)
''',
     r'''### BEGIN SETUP
asli = [3, 1, 2, 5]
tiga_terbesar(asli)
### END SETUP
'''),
    # --- 01-dasar-python/09-dictionary: the dictionary must be changed (or not) in the trainee's process.
    ("01-dasar-python/09-dictionary.ipynb", "uji-naik",
     r'''lama = {"kios": 150_000}
naikkan_tarif(lama, 20)
''',
     r'''### BEGIN SETUP
lama = {"kios": 150_000}
naikkan_tarif(lama, 20)
### END SETUP
'''),
    # --- 01-dasar-python/10-data-bersarang: peringkat_gaji(PEGAWAI) from the harness sorts a copy.
    ("01-dasar-python/10-data-bersarang.ipynb", "uji-peringkat",
     r'''assert PEGAWAI[0]["nama"] == "Rina Marlina",''',
     r'''### BEGIN SETUP
peringkat_gaji(PEGAWAI)
### END SETUP
assert PEGAWAI[0]["nama"] == "Rina Marlina",'''),
    # --- 03-basis-data-sql/02-create-insert: connections are made in the trainee's process.
    ("03-basis-data-sql/02-create-insert.ipynb", "tes-tabel-aset",
     r'''c = sqlite3.connect(":memory:")
buat_tabel_aset(c)
kolom = {baris[1]: baris for baris in c.execute("PRAGMA table_info(aset)")}''',
     r'''### BEGIN SETUP
import sqlite3
c = sqlite3.connect(":memory:")
### END SETUP
buat_tabel_aset(c)
kolom = {baris[1]: baris for baris in c.execute("PRAGMA table_info(aset)").fetchall()}'''),
    ("03-basis-data-sql/02-create-insert.ipynb", "tes-tambah-aset",
     r'''def _db_aset():
    c = sqlite3.connect(":memory:")
    c.execute("""CREATE TABLE aset (id INTEGER PRIMARY KEY, kode TEXT NOT NULL UNIQUE, nama TEXT NOT NULL,
                 opd TEXT NOT NULL, nilai INTEGER NOT NULL CHECK (nilai >= 0), tahun_perolehan INTEGER)""")
    return c
''',
     r'''### BEGIN SETUP
import sqlite3
def _db_aset():
    c = sqlite3.connect(":memory:")
    c.execute("""CREATE TABLE aset (id INTEGER PRIMARY KEY, kode TEXT NOT NULL UNIQUE, nama TEXT NOT NULL,
                 opd TEXT NOT NULL, nilai INTEGER NOT NULL CHECK (nilai >= 0), tahun_perolehan INTEGER)""")
    return c
### END SETUP
'''),
    # --- 03-basis-data-sql/11-pandas-untuk-tabel: numpy integers arrive in the harness as Python ints,
    # so the type is looked at in the trainee's process.
    ("03-basis-data-sql/11-pandas-untuk-tabel.ipynb", "tes-total-triwulan",
     r'''assert all(type(v) is int for v in t.values()), "nilai seharusnya int Python biasa"''',
     r'''### BEGIN SETUP
jenis_nilai = {type(v).__name__ for v in total_triwulan(muat_realisasi(conn, 2025)).values()}
### END SETUP
assert jenis_nilai == {"int"}, "nilai seharusnya int Python biasa"'''),
]

# 03-basis-data-sql/12-proyek-basis-data-aduan: four cells open the same kind of connection.
for _gid in ("tes-skema", "tes-impor", "tes-rekap", "tes-tren"):
    REPLACEMENTS.append((
        "03-basis-data-sql/12-proyek-basis-data-aduan.ipynb", _gid,
        r'''import sqlite3
c = sqlite3.connect(":memory:")
buat_skema(c)''',
        r'''import sqlite3
### BEGIN SETUP
import sqlite3
c = sqlite3.connect(":memory:")
### END SETUP
buat_skema(c)'''))

REPLACEMENTS += [
    ("03-basis-data-sql/12-proyek-basis-data-aduan.ipynb", "tes-skema",
     r'''for (n,) in c.execute("SELECT nama FROM kecamatan")''',
     r'''for (n,) in c.execute("SELECT nama FROM kecamatan").fetchall()'''),
    ("03-basis-data-sql/12-proyek-basis-data-aduan.ipynb", "tes-skema",
     r'''[b[1] for b in c.execute("PRAGMA table_info(aduan)")]''',
     r'''[b[1] for b in c.execute("PRAGMA table_info(aduan)").fetchall()]'''),
    ("03-basis-data-sql/12-proyek-basis-data-aduan.ipynb", "tes-rekap",
     r'''k = sqlite3.connect(":memory:")
''',
     r'''### BEGIN SETUP
k = sqlite3.connect(":memory:")
### END SETUP
'''),
    ("03-basis-data-sql/12-proyek-basis-data-aduan.ipynb", "tes-tren",
     r'''assert all(type(v) is int for v in t.values()), "nilai seharusnya int Python biasa"''',
     r'''### BEGIN SETUP
jenis_nilai = {type(v).__name__ for v in tren_bulanan(c).values()}
### END SETUP
assert jenis_nilai == {"int"}, "nilai seharusnya int Python biasa"'''),
]

# 04-aplikasi-web/04-request-dan-validasi: PERMOHONAN must be emptied/changed in the trainee's process
# (the harness only ever holds a copy of it).
for _gid in ("tes-post-sah", "tes-post-tidak-sah", "tes-get-detail", "tes-get-daftar"):
    REPLACEMENTS.append((
        "04-aplikasi-web/04-request-dan-validasi.ipynb", _gid,
        r'''PERMOHONAN.clear()
client = app.test_client()''',
        r'''### BEGIN SETUP
PERMOHONAN.clear()
### END SETUP
client = app.test_client()'''))

REPLACEMENTS += [
    ("04-aplikasi-web/04-request-dan-validasi.ipynb", "tes-post-sah",
     r'''del PERMOHONAN[1]
''',
     r'''### BEGIN SETUP
del PERMOHONAN[1]
### END SETUP
'''),
    ("04-aplikasi-web/04-request-dan-validasi.ipynb", "tes-get-daftar",
     r'''PERMOHONAN[2]["status"] = "disetujui"
''',
     r'''### BEGIN SETUP
PERMOHONAN[2]["status"] = "disetujui"
### END SETUP
'''),
    ("04-aplikasi-web/04-request-dan-validasi.ipynb", "tes-get-daftar",
     r'''PERMOHONAN.clear()
assert client.get("/permohonan").get_json()''',
     r'''### BEGIN SETUP
PERMOHONAN.clear()
### END SETUP
assert client.get("/permohonan").get_json()'''),
    # --- 04-aplikasi-web/05-penanganan-error: the test app and its views live in the trainee's process.
    ("04-aplikasi-web/05-penanganan-error.ipynb", "tes-pasang-penanganan",
     r'''from flask import Flask, abort
import logging
uji = Flask("uji")
''',
     r'''### BEGIN SETUP
from flask import Flask, abort
import logging
uji = Flask("uji")
'''),
    ("04-aplikasi-web/05-penanganan-error.ipynb", "tes-pasang-penanganan",
     r'''    abort(403)

pasang_penanganan_error(uji)''',
     r'''    abort(403)
### END SETUP

pasang_penanganan_error(uji)'''),
    # --- 04-aplikasi-web/06-menulis-tes-gaya-pytest: the buggy versions are called by trainee code.
    ("04-aplikasi-web/06-menulis-tes-gaya-pytest.ipynb", "tes-tes-denda",
     r'''def _tanpa_batas(pokok, bulan):
    return round(pokok * 0.02 * bulan)
''',
     r'''### BEGIN SETUP
def _tanpa_batas(pokok, bulan):
    return round(pokok * 0.02 * bulan)
### END SETUP
'''),
    ("04-aplikasi-web/06-menulis-tes-gaya-pytest.ipynb", "tes-tes-denda",
     r'''### BEGIN HIDDEN TESTS
def _tarif_salah(pokok, bulan):''',
     r'''### BEGIN HIDDEN TESTS
### BEGIN SETUP
def _tarif_salah(pokok, bulan):'''),
    ("04-aplikasi-web/06-menulis-tes-gaya-pytest.ipynb", "tes-tes-denda",
     r'''    return round(pokok * 0.02 * min(bulan, 23))
assert ada_yang_gagal(''',
     r'''    return round(pokok * 0.02 * min(bulan, 23))
### END SETUP
assert ada_yang_gagal('''),
    ("04-aplikasi-web/06-menulis-tes-gaya-pytest.ipynb", "tes-tes-negatif",
     r'''def _tanpa_validasi(pokok, bulan):
    return round(pokok * 0.02 * min(bulan, 24))
''',
     r'''### BEGIN SETUP
def _tanpa_validasi(pokok, bulan):
    return round(pokok * 0.02 * min(bulan, 24))
### END SETUP
'''),
    ("04-aplikasi-web/06-menulis-tes-gaya-pytest.ipynb", "tes-tes-negatif",
     r'''### BEGIN HIDDEN TESTS
def _hanya_pokok(pokok, bulan):''',
     r'''### BEGIN HIDDEN TESTS
### BEGIN SETUP
def _hanya_pokok(pokok, bulan):'''),
    ("04-aplikasi-web/06-menulis-tes-gaya-pytest.ipynb", "tes-tes-negatif",
     r'''        raise TypeError("salah jenis exception")
    return round(pokok * 0.02 * min(bulan, 24))
''',
     r'''        raise TypeError("salah jenis exception")
    return round(pokok * 0.02 * min(bulan, 24))
### END SETUP
'''),
    ("04-aplikasi-web/06-menulis-tes-gaya-pytest.ipynb", "tes-tes-api",
     r'''_buat_app_asli = buat_app
def varian(''',
     r'''### BEGIN SETUP
_buat_app_asli = buat_app
def varian('''),
    ("04-aplikasi-web/06-menulis-tes-gaya-pytest.ipynb", "tes-tes-api",
     r'''        resp.status_code = 200
    return resp
assert ada_yang_gagal("buat_app", varian(_201_jadi_200), TES_API)''',
     r'''        resp.status_code = 200
    return resp
### END SETUP
assert ada_yang_gagal("buat_app", varian(_201_jadi_200), TES_API)'''),
    ("04-aplikasi-web/06-menulis-tes-gaya-pytest.ipynb", "tes-tes-api",
     r'''### BEGIN HIDDEN TESTS
import json as _json''',
     r'''### BEGIN HIDDEN TESTS
### BEGIN SETUP
import json as _json'''),
    ("04-aplikasi-web/06-menulis-tes-gaya-pytest.ipynb", "tes-tes-api",
     r'''        resp.set_data(_json.dumps(data))
    return resp
''',
     r'''        resp.set_data(_json.dumps(data))
    return resp
### END SETUP
'''),
    # --- 04-aplikasi-web/07-app-factory-dan-blueprint: the test app is made in the trainee's process.
    ("04-aplikasi-web/07-app-factory-dan-blueprint.ipynb", "tes-bp-aset",
     r'''from flask import Flask
uji = Flask("uji")
''',
     r'''### BEGIN SETUP
from flask import Flask
uji = Flask("uji")
### END SETUP
'''),
    # --- 04-aplikasi-web/09-proyek-api-permohonan-layanan: buggy versions of buat_app.
    ("04-aplikasi-web/09-proyek-api-permohonan-layanan.ipynb", "tes-proyek-tes",
     r'''_buat_app_asli = buat_app
def varian(''',
     r'''### BEGIN SETUP
_buat_app_asli = buat_app
def varian('''),
    ("04-aplikasi-web/09-proyek-api-permohonan-layanan.ipynb", "tes-proyek-tes",
     r'''        resp.status_code = 200
    return resp
assert ada_yang_gagal("buat_app", varian(_409_jadi_200), TES_PROYEK)''',
     r'''        resp.status_code = 200
    return resp
### END SETUP
assert ada_yang_gagal("buat_app", varian(_409_jadi_200), TES_PROYEK)'''),
    ("04-aplikasi-web/09-proyek-api-permohonan-layanan.ipynb", "tes-proyek-tes",
     r'''### BEGIN HIDDEN TESTS
from flask import request as _rq''',
     r'''### BEGIN HIDDEN TESTS
### BEGIN SETUP
from flask import request as _rq'''),
    ("04-aplikasi-web/09-proyek-api-permohonan-layanan.ipynb", "tes-proyek-tes",
     r'''        resp.status_code = 200
    return resp
assert ada_yang_gagal("buat_app", varian(_hanya_post_409), TES_PROYEK)''',
     r'''        resp.status_code = 200
    return resp
### END SETUP
assert ada_yang_gagal("buat_app", varian(_hanya_post_409), TES_PROYEK)'''),
    # --- 05-rekayasa-perangkat-lunak/02-debugging: identity and in-place changes are looked at on
    # objects of the trainee's process.
    ("05-rekayasa-perangkat-lunak/02-debugging.ipynb", "tes-disposisi",
     r'''a = catat_disposisi("010/UM/2024", "Dinkes")
b = catat_disposisi("011/UM/2024", "Bapenda")
''',
     r'''### BEGIN SETUP
a = catat_disposisi("010/UM/2024", "Dinkes")
b = catat_disposisi("011/UM/2024", "Bapenda")
### END SETUP
'''),
    ("05-rekayasa-perangkat-lunak/02-debugging.ipynb", "tes-disposisi",
     r'''assert a is not b, "Setiap pemanggilan tanpa riwayat harus membuat list baru."''',
     r'''### BEGIN SETUP
id_a, id_b = id(a), id(b)
### END SETUP
assert id_a != id_b, "Setiap pemanggilan tanpa riwayat harus membuat list baru."'''),
    ("05-rekayasa-perangkat-lunak/02-debugging.ipynb", "tes-disposisi",
     r'''lama = [{"surat": "012/UM/2024", "tujuan": "Bappeda"}]
hasil = catat_disposisi("012/UM/2024", "Diskominfo", lama)
assert hasil is lama and len(lama) == 2,''',
     r'''### BEGIN SETUP
''' + DAFTAR_UJI + r'''lama = DaftarUji([{"surat": "012/UM/2024", "tujuan": "Bappeda"}])
kosong = DaftarUji()
### END SETUP
hasil = catat_disposisi("012/UM/2024", "Diskominfo", lama)
assert hasil is lama and len(lama.copy()) == 2,'''),
    ("05-rekayasa-perangkat-lunak/02-debugging.ipynb", "tes-disposisi",
     r'''kosong = []
assert catat_disposisi("013/UM/2024", "Dinkes", kosong) is kosong''',
     r'''assert catat_disposisi("013/UM/2024", "Dinkes", kosong) is kosong'''),
    # --- 05-rekayasa-perangkat-lunak/04-logging: the streams the trainee's logger writes to.
    ("05-rekayasa-perangkat-lunak/04-logging.ipynb", "tes-siapkan",
     r'''aliran = io.StringIO()
lg = siapkan_logger(''',
     r'''### BEGIN SETUP
import io
aliran = io.StringIO()
### END SETUP
lg = siapkan_logger('''),
    ("05-rekayasa-perangkat-lunak/04-logging.ipynb", "tes-siapkan",
     r'''aliran2 = io.StringIO()
lg2 = siapkan_logger(''',
     r'''### BEGIN SETUP
aliran2 = io.StringIO()
### END SETUP
lg2 = siapkan_logger('''),
    # --- 05-rekayasa-perangkat-lunak/05-konsep-git: 600 random cases, one call each, took longer than
    # the cell's time limit through the harness; the cases now go to the trainee's function in one call.
    ("05-rekayasa-perangkat-lunak/05-konsep-git.ipynb", "tes-diff",
     r'''def _buat_diff(a, b, n=3):''',
     r'''import difflib
def _buat_diff(a, b, n=3):'''),
    ("05-rekayasa-perangkat-lunak/05-konsep-git.ipynb", "tes-diff",
     r'''acak = random.Random(3)
''',
     r'''acak = random.Random(3)
kasus_acak = []
'''),
    ("05-rekayasa-perangkat-lunak/05-konsep-git.ipynb", "tes-diff",
     r'''    for n in (0, 1, 3):
        assert terapkan_diff(ta, _buat_diff(ta, tb, n)) == tb, "Pada diff acak (beberapa hunk, konteks 0-3 baris), hasil Anda belum tepat."''',
     r'''    for n in (0, 1, 3):
        kasus_acak.append((ta, _buat_diff(ta, tb, n), tb))
### BEGIN SETUP
def _terapkan_semua(kasus):
    """Hasil terapkan_diff untuk setiap (teks_lama, diff), dalam satu panggilan."""
    return [terapkan_diff(teks, diff) for teks, diff in kasus]
### END SETUP
hasil_acak = _terapkan_semua([(ta, d) for ta, d, _ in kasus_acak])
for (ta, d, tb), hasil in zip(kasus_acak, hasil_acak):
    assert hasil == tb, "Pada diff acak (beberapa hunk, konteks 0-3 baris), hasil Anda belum tepat."'''),
    # --- 05-rekayasa-perangkat-lunak/06-code-review: the logger and its handler.
    ("05-rekayasa-perangkat-lunak/06-code-review.ipynb", "tes-perbaikan",
     r'''logger = logging.getLogger("tes.review.1"); logger.setLevel(logging.DEBUG); logger.propagate = False
penampung = PenampungLog(); logger.handlers = [penampung]
''',
     r'''### BEGIN SETUP
import logging
logger = logging.getLogger("tes.review.1"); logger.setLevel(logging.DEBUG); logger.propagate = False
penampung = PenampungLog(); logger.handlers = [penampung]
### END SETUP
'''),
    ("05-rekayasa-perangkat-lunak/06-code-review.ipynb", "tes-perbaikan",
     r'''penampung.catatan.clear()
''',
     r'''penampung.catatan = []  # list baru di proses peserta (.clear() hanya mengosongkan salinan di penguji)
'''),
]

# 05-rekayasa-perangkat-lunak/07-menulis-tes: the buggy versions are called by the trainee's tests.
REPLACEMENTS += [
    ("05-rekayasa-perangkat-lunak/07-menulis-tes.ipynb", "tes-uji-rupiah",
     r'''def _m_tanpa_titik(angka):''',
     r'''### BEGIN SETUP
def _m_tanpa_titik(angka):'''),
    ("05-rekayasa-perangkat-lunak/07-menulis-tes.ipynb", "tes-uji-rupiah",
     r'''    return f"Rp{angka:,}".replace(",", ".")

periksa_uji(''',
     r'''    return f"Rp{angka:,}".replace(",", ".")
### END SETUP

_periksa_uji('''),
    ("05-rekayasa-perangkat-lunak/07-menulis-tes.ipynb", "tes-uji-rupiah",
     r'''### BEGIN HIDDEN TESTS
def _m_float_diterima(angka):''',
     r'''### BEGIN HIDDEN TESTS
### BEGIN SETUP
def _m_float_diterima(angka):'''),
    ("05-rekayasa-perangkat-lunak/07-menulis-tes.ipynb", "tes-uji-rupiah",
     r'''    return format_rupiah(angka)

periksa_uji(''',
     r'''    return format_rupiah(angka)
### END SETUP

_periksa_uji('''),
    ("05-rekayasa-perangkat-lunak/07-menulis-tes.ipynb", "tes-uji-denda",
     r'''def _m_tanpa_batas(pokok, bulan):''',
     r'''### BEGIN SETUP
def _m_tanpa_batas(pokok, bulan):'''),
    ("05-rekayasa-perangkat-lunak/07-menulis-tes.ipynb", "tes-uji-denda",
     r'''    return max(0, pokok) * 2 * min(max(0, bulan), 24) // 100

periksa_uji(''',
     r'''    return max(0, pokok) * 2 * min(max(0, bulan), 24) // 100
### END SETUP

_periksa_uji('''),
    ("05-rekayasa-perangkat-lunak/07-menulis-tes.ipynb", "tes-uji-denda",
     r'''### BEGIN HIDDEN TESTS
def _m_batas_23(pokok, bulan):''',
     r'''### BEGIN HIDDEN TESTS
### BEGIN SETUP
def _m_batas_23(pokok, bulan):'''),
    ("05-rekayasa-perangkat-lunak/07-menulis-tes.ipynb", "tes-uji-denda",
     r'''    if bulan < 0:
        raise ValueError
    return pokok * 2 * min(bulan, 24) // 100

periksa_uji(''',
     r'''    if bulan < 0:
        raise ValueError
    return pokok * 2 * min(bulan, 24) // 100
### END SETUP

_periksa_uji('''),
    ("05-rekayasa-perangkat-lunak/07-menulis-tes.ipynb", "tes-uji-api",
     r'''def _m_404_jadi_200():''',
     r'''### BEGIN SETUP
def _m_404_jadi_200():'''),
    ("05-rekayasa-perangkat-lunak/07-menulis-tes.ipynb", "tes-uji-api",
     r'''    app.view_functions["buat_aduan"] = buat2
    return app

periksa_uji(''',
     r'''    app.view_functions["buat_aduan"] = buat2
    return app
### END SETUP

_periksa_uji('''),
    ("05-rekayasa-perangkat-lunak/07-menulis-tes.ipynb", "tes-uji-api",
     r'''### BEGIN HIDDEN TESTS
def _m_peka_huruf():''',
     r'''### BEGIN HIDDEN TESTS
### BEGIN SETUP
def _m_peka_huruf():'''),
    ("05-rekayasa-perangkat-lunak/07-menulis-tes.ipynb", "tes-uji-api",
     r'''    app.view_functions["buat_aduan"] = buat
    return app

periksa_uji(''',
     r'''    app.view_functions["buat_aduan"] = buat
    return app
### END SETUP

_periksa_uji('''),
    # --- 05-rekayasa-perangkat-lunak/10-data-pribadi
    ("05-rekayasa-perangkat-lunak/10-data-pribadi.ipynb", "tes-data",
     r'''assert pemohon == salinan, "Dictionary asli tidak boleh berubah."''',
     r'''peserta.pemohon_uji = pemohon  # salinan pemohon di proses peserta; samarkan_data dipanggil di sana
### BEGIN SETUP
samarkan_data(pemohon_uji)
### END SETUP
assert pemohon_uji == salinan, "Dictionary asli tidak boleh berubah."'''),
    ("05-rekayasa-perangkat-lunak/10-data-pribadi.ipynb", "tes-filter",
     r'''lg = logging.getLogger("tes.pdp.1"); lg.setLevel(logging.DEBUG); lg.propagate = False
pen = PenampungLog(); lg.handlers = [pen]; lg.filters = []
''',
     r'''### BEGIN SETUP
import logging
lg = logging.getLogger("tes.pdp.1"); lg.setLevel(logging.DEBUG); lg.propagate = False
pen = PenampungLog(); lg.handlers = [pen]; lg.filters = []
### END SETUP
'''),
    # --- 05-rekayasa-perangkat-lunak/11-proyek-akun-pegawai
    ("05-rekayasa-perangkat-lunak/11-proyek-akun-pegawai.ipynb", "tes-daftar",
     r'''pen.catatan.clear()
''',
     r'''pen.catatan = []  # list baru di proses peserta (.clear() hanya mengosongkan salinan di penguji)
'''),
    ("05-rekayasa-perangkat-lunak/11-proyek-akun-pegawai.ipynb", "tes-uji",
     r'''def _versi(simpan_polos=False,''',
     r'''### BEGIN SETUP
def _versi(simpan_polos=False,'''),
    ("05-rekayasa-perangkat-lunak/11-proyek-akun-pegawai.ipynb", "tes-uji",
     r'''    return daftarkan

periksa = uji_daftarkan''',
     r'''    return daftarkan
### END SETUP

periksa = uji_daftarkan'''),
]

# 05-rekayasa-perangkat-lunak/07-menulis-tes: the verdict helper periksa_uji is defined in a locked cell,
# so it lives in the trainee's process, where the trainee could redefine it; the test cells use the same
# logic defined in the harness instead.
PERIKSA_UJI = r'''def _periksa_uji(uji, benar, daftar_mutan):
    """periksa_uji yang dijalankan penguji: tes harus lolos pada 'benar' dan gagal pada setiap mutan."""
    uji(benar)
    for nama, mutan in daftar_mutan.items():
        try:
            uji(mutan)
        except Exception:
            continue   # tes gagal pada mutan = mutan tertangkap
        raise AssertionError(f"Tes Anda tetap lolos pada implementasi yang salah ({nama}). Tambahkan kasus uji.")
'''
for _gid, _first in (("tes-uji-rupiah", "def _m_tanpa_titik(angka):"), ("tes-uji-denda", "def _m_tanpa_batas(pokok, bulan):"),
                     ("tes-uji-api", "def _m_404_jadi_200():")):
    REPLACEMENTS.append(("05-rekayasa-perangkat-lunak/07-menulis-tes.ipynb", _gid,
                         "### BEGIN SETUP\n" + _first, PERIKSA_UJI + "### BEGIN SETUP\n" + _first))

# 06-proyek-akhir/01-model-dan-penyimpanan: connections in the trainee's process.
for _gid in ("tes-skema", "tes-simpan", "tes-status"):
    REPLACEMENTS.append((
        "06-proyek-akhir/01-model-dan-penyimpanan.ipynb", _gid,
        r'''conn = sqlite3.connect(":memory:")
buat_skema(conn)''',
        r'''### BEGIN SETUP
import sqlite3
conn = sqlite3.connect(":memory:")
### END SETUP
buat_skema(conn)'''))

REPLACEMENTS += [
    ("06-proyek-akhir/01-model-dan-penyimpanan.ipynb", "tes-skema",
     r'''[b[1] for b in conn.execute("PRAGMA table_info(aduan)")]''',
     r'''[b[1] for b in conn.execute("PRAGMA table_info(aduan)").fetchall()]'''),
    ("06-proyek-akhir/01-model-dan-penyimpanan.ipynb", "tes-simpan",
     r'''conn2 = sqlite3.connect(":memory:"); buat_skema(conn2)''',
     r'''### BEGIN SETUP
conn2 = sqlite3.connect(":memory:")
### END SETUP
buat_skema(conn2)'''),
    # --- 06-proyek-akhir/02-api-flask: app_uji passes a lambda to trainee code and builds a Flask app;
    # it and aduan_baik also serve the trainee's own tests (jawaban-tes-sendiri), so both live in the
    # trainee's process.
    ("06-proyek-akhir/02-api-flask.ipynb", "tes-rute-warga",
     r'''def app_uji(*pendaftar, tanggal=date(2024, 3, 5)):''',
     r'''### BEGIN SETUP
def app_uji(*pendaftar, tanggal=date(2024, 3, 5)):'''),
    ("06-proyek-akhir/02-api-flask.ipynb", "tes-rute-warga",
     r'''              "kategori": "jalan", "isi": "Jalan berlubang di depan Pasar Setu"}
klien, conn = app_uji(''',
     r'''              "kategori": "jalan", "isi": "Jalan berlubang di depan Pasar Setu"}
### END SETUP
klien, conn = app_uji('''),
    ("06-proyek-akhir/02-api-flask.ipynb", "tes-rute-warga",
     r'''a = {"id": 1, "telepon": "+6281234567890", "pelapor": "X"}
''',
     r'''### BEGIN SETUP
''' + KAMUS_UJI + r'''a = KamusUji({"id": 1, "telepon": "+6281234567890", "pelapor": "X"})
### END SETUP
'''),
    # --- 06-proyek-akhir/03-laporan-dan-pengujian: connections and streams in the trainee's process.
    ("06-proyek-akhir/03-laporan-dan-pengujian.ipynb", "tes-rekap",
     r'''c2 = sqlite3.connect(":memory:"); buat_skema(c2)''',
     r'''### BEGIN SETUP
c2 = sqlite3.connect(":memory:")
### END SETUP
buat_skema(c2)'''),
    ("06-proyek-akhir/03-laporan-dan-pengujian.ipynb", "tes-rekap",
     r'''c3 = sqlite3.connect(":memory:"); buat_skema(c3)''',
     r'''### BEGIN SETUP
c3 = sqlite3.connect(":memory:")
### END SETUP
buat_skema(c3)'''),
    ("06-proyek-akhir/03-laporan-dan-pengujian.ipynb", "tes-csv",
     r'''aliran = io.StringIO()
assert ekspor_csv(conn, aliran)''',
     r'''### BEGIN SETUP
import io
aliran = io.StringIO()
### END SETUP
assert ekspor_csv(conn, aliran)'''),
    ("06-proyek-akhir/03-laporan-dan-pengujian.ipynb", "tes-csv",
     r'''c2 = sqlite3.connect(":memory:"); buat_skema(c2)''',
     r'''### BEGIN SETUP
c2 = sqlite3.connect(":memory:")
a2 = io.StringIO()
### END SETUP
buat_skema(c2)'''),
    ("06-proyek-akhir/03-laporan-dan-pengujian.ipynb", "tes-csv",
     r'''a2 = io.StringIO()
assert ekspor_csv(c2, a2)''',
     r'''assert ekspor_csv(c2, a2)'''),
    ("06-proyek-akhir/03-laporan-dan-pengujian.ipynb", "tes-csv",
     r'''c3 = sqlite3.connect(":memory:"); buat_skema(c3)
a3 = io.StringIO()
''',
     r'''### BEGIN SETUP
c3 = sqlite3.connect(":memory:")
a3 = io.StringIO()
### END SETUP
buat_skema(c3)
'''),
]


def replace_once(source: str, old: str, new: str) -> tuple[str, str]:
    """Apply one replacement to a cell's source; return (new source, outcome)."""
    old_present = old in source
    new_present = new in source
    if old_present and not (new_present and old in new):
        if source.count(old) > 1:
            return source, "AMBIGUOUS (old text found more than once)"
        return source.replace(old, new), "applied"
    if new_present:
        return source, "already applied"
    return source, "NOT FOUND"


def find_cell(notebook, grade_id: str):
    """Return the cell with this nbgrader grade_id, or None."""
    for cell in notebook.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            return cell
    return None


def split_test_cell(source: str) -> tuple[str, str]:
    """Return (harness code, setup code) of a test cell, each with the other part's lines blanked."""
    harness, setup, inside = [], [], False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith(SETUP_BEGIN):
            inside = True
            line = ""
        elif stripped.startswith(SETUP_END):
            inside = False
            line = ""
        harness.append("" if inside else line)
        setup.append(line if inside else "")
    return "\n".join(harness), "\n".join(setup)


def assigned_names(code: str) -> set[str]:
    """Names a piece of code binds at module level (assignments, imports, defs, for targets)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    names = set()
    for node in tree.body:
        for inner in ast.walk(node):
            if isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Store):
                names.add(inner.id)
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
    return names


def shadowed_setup_names(notebook) -> list[str]:
    """Warnings for SETUP names the harness already bound itself in an earlier test cell."""
    warnings, harness_bound = [], set()
    for cell in notebook.cells:
        metadata = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type != "code" or not metadata.get("grade") or metadata.get("solution"):
            continue
        harness, setup = split_test_cell(cell.source)
        for name in sorted(assigned_names(setup) & harness_bound):
            warnings.append(f"{metadata.get('grade_id')}: SETUP binds {name!r}, which an earlier harness part bound")
        harness_bound |= assigned_names(harness)
    return warnings


def convert(root: Path, replacements, write: bool = True) -> list[str]:
    """Apply the replacements to the notebooks under root; return one report line per replacement/warning."""
    by_notebook: dict[str, list] = {}
    for path, grade_id, old, new in replacements:
        by_notebook.setdefault(path, []).append((grade_id, old, new))
    lines = []
    for path, changes in by_notebook.items():
        full = root / path
        if not full.exists():
            lines.append(f"{path}: NOTEBOOK NOT FOUND")
            continue
        notebook = nbformat.read(full, as_version=4)
        changed = False
        for grade_id, old, new in changes:
            first_line = old.strip().splitlines()[0][:60]
            cell = find_cell(notebook, grade_id)
            if cell is None:
                lines.append(f"{path} [{grade_id}]: CELL NOT FOUND")
                continue
            cell.source, outcome = replace_once(cell.source, old, new)
            changed = changed or outcome == "applied"
            lines.append(f"{path} [{grade_id}] {first_line!r}: {outcome}")
        for warning in shadowed_setup_names(notebook):
            lines.append(f"{path}: WARNING {warning}")
        if changed and write:
            nbformat.write(notebook, full)
    return lines


def main(argv: list[str]) -> int:
    """Apply every replacement to the shipped notebooks; return 1 when one could not be applied."""
    lines = convert(ROOT, REPLACEMENTS, write="--check" not in argv)
    for line in lines:
        print(line)
    failed = [line for line in lines if "NOT FOUND" in line or "AMBIGUOUS" in line]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
