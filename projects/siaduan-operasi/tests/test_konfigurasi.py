"""Hidden tests: configuration from environment variables."""
import pytest


def test_konfigurasi_dari_environment(lingkungan, contoh):
    app = lingkungan.app()
    assert app.config["SECRET_KEY"] == lingkungan.kunci, "SECRET_KEY aplikasi harus diambil dari SIADUAN_SECRET_KEY"
    jawaban = app.test_client().post("/api/aduan", json=contoh)
    assert jawaban.status_code == 201, f"POST /api/aduan harus tetap 201, bukan {jawaban.status_code}"
    assert lingkungan.modul("os.path").exists(lingkungan.database), "database harus dibuat di SIADUAN_DATABASE"
    baris = lingkungan.modul("sqlite3").connect(lingkungan.database).execute("SELECT judul FROM aduan").fetchall()
    assert [tuple(b) for b in baris] == [(contoh["judul"],)], "aduan harus tersimpan di database SIADUAN_DATABASE"


def test_tanpa_secret_key_ada_galat_jelas(lingkungan):
    lingkungan.atur(SECRET_KEY=None)
    with pytest.raises(RuntimeError) as galat:
        lingkungan.modul("siaduan").create_app()
    assert "SIADUAN_SECRET_KEY" in str(galat.value), "pesan galat harus menyebut variabel SIADUAN_SECRET_KEY"
    lingkungan.atur(SECRET_KEY="   ")
    with pytest.raises(RuntimeError):
        lingkungan.modul("siaduan").create_app()


def test_log_level_tidak_dikenal_ditolak(lingkungan):
    lingkungan.atur(LOG_LEVEL="BISING")
    with pytest.raises(RuntimeError) as galat:
        lingkungan.modul("siaduan").create_app()
    assert "SIADUAN_LOG_LEVEL" in str(galat.value), "pesan galat harus menyebut variabel SIADUAN_LOG_LEVEL"
    assert lingkungan.app(LOG_LEVEL="warning").config["SECRET_KEY"] == lingkungan.kunci, \
        "tingkat log huruf kecil (warning) tetap harus diterima"
