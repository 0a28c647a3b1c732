"""Hidden tests: the migrations build the database (never create_all), the new column included."""
import pytest

KOLOM_ADUAN = {"id", "judul", "isi", "kategori", "lokasi", "status", "dibuat", "pelapor_id"}


def nama_tabel(situs):
    """The names of the tables in the app's database file."""
    return {baris[0] for baris in situs.sql("SELECT name FROM sqlite_master WHERE type = 'table'")}


@pytest.mark.migrasi
def test_migrasi_membuat_tabel(situs_kosong):
    assert nama_tabel(situs_kosong) == set(), \
        "create_app tidak boleh membuat tabel sendiri (misalnya db.create_all()): tabel dibuat oleh migrasi"
    situs_kosong.upgrade()
    assert {"pengguna", "aduan", "alembic_version"} <= nama_tabel(situs_kosong), \
        "flask db upgrade harus membuat tabel pengguna dan aduan"
    kolom = {baris[1] for baris in situs_kosong.sql("PRAGMA table_info(aduan)")}
    assert "lokasi" in kolom, "setelah flask db upgrade, tabel aduan belum punya kolom lokasi: tulis migrasinya"
    assert KOLOM_ADUAN <= kolom
    versi = situs_kosong.sql("SELECT version_num FROM alembic_version")
    assert len(versi) == 1 and versi[0][0] != situs_kosong.REVISI_AWAL, \
        "kolom lokasi harus ditambahkan oleh migrasi baru, bukan dengan mengubah migrasi pertama"


@pytest.mark.migrasi
def test_migrasi_lokasi_menjaga_data_lama(situs_kosong):
    situs_kosong.upgrade(situs_kosong.REVISI_AWAL)
    situs_kosong.sql("INSERT INTO pengguna (id, nama_pengguna, password_hash, peran) VALUES (1, 'lama', 'x', 'warga')")
    situs_kosong.sql("INSERT INTO aduan (id, judul, isi, kategori, status, dibuat, pelapor_id) "
                     "VALUES (1, 'Sampah menumpuk', 'Sampah di pasar belum diangkut.', 'sampah', 'diproses', "
                     "'2026-11-01 08:00:00', 1)")
    situs_kosong.upgrade()
    baris = situs_kosong.sql("SELECT judul, status, lokasi FROM aduan WHERE id = 1")
    assert baris == [("Sampah menumpuk", "diproses", None)], \
        "migrasi kolom lokasi harus menjaga aduan yang sudah ada (lokasinya kosong)"
