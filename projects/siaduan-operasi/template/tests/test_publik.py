"""Uji publik: jalankan dengan `pytest`. Uji tersembunyi platform memeriksa lebih banyak hal."""
import pytest

from siaduan import create_app

CONTOH = {"judul": "Lampu jalan mati", "isi": "Lampu di Jl. Merdeka mati sejak kemarin malam.", "pelapor": "Sari"}


@pytest.fixture
def client(tmp_path):
    """Aplikasi mode pengujian dengan database sementara."""
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "uji.db")})
    return app.test_client()


@pytest.fixture
def lingkungan(tmp_path, monkeypatch):
    """Variabel environment seperti di server, dengan database dan log di folder sementara."""
    monkeypatch.setenv("SIADUAN_SECRET_KEY", "kunci-uji-publik")
    monkeypatch.setenv("SIADUAN_DATABASE", str(tmp_path / "siaduan.db"))
    monkeypatch.setenv("SIADUAN_LOG_FILE", str(tmp_path / "siaduan.log"))
    monkeypatch.setenv("SIADUAN_LOG_LEVEL", "INFO")
    return tmp_path


def test_membuat_dan_membaca_aduan(client):
    jawaban = client.post("/api/aduan", json=CONTOH)
    assert jawaban.status_code == 201
    assert client.get("/api/aduan/1").get_json()["status"] == "baru"


def test_petugas_tanpa_token_ditolak(client):
    client.post("/api/aduan", json=CONTOH)
    assert client.patch("/api/aduan/1/status", json={"status": "diproses"}).status_code == 401


def test_konfigurasi_dari_environment(lingkungan):
    app = create_app()
    assert app.config["SECRET_KEY"] == "kunci-uji-publik"
    assert app.config["DATABASE"] == str(lingkungan / "siaduan.db")


def test_tanpa_secret_key_ada_galat(lingkungan, monkeypatch):
    monkeypatch.delenv("SIADUAN_SECRET_KEY")
    with pytest.raises(RuntimeError, match="SIADUAN_SECRET_KEY"):
        create_app()


def test_health(lingkungan):
    jawaban = create_app().test_client().get("/health")
    assert jawaban.status_code == 200
    assert jawaban.get_json() == {"status": "ok", "database": "ok"}


def test_baris_log_permintaan(lingkungan):
    create_app().test_client().get("/api/aduan")
    log = (lingkungan / "siaduan.log").read_text(encoding="utf-8")
    assert "GET /api/aduan 200 " in log
