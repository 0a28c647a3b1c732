"""Hidden tests: validation (one task, scored together through the marker)."""
import pytest

pytestmark = pytest.mark.validasi


def _galat(client, data):
    jawaban = client.post("/api/pengaduan", json=data)
    assert jawaban.status_code == 400, f"data salah harus ditolak dengan 400, bukan {jawaban.status_code}"
    return jawaban.get_json()["galat"]


def test_judul_terlalu_pendek(client, contoh):
    assert "judul" in _galat(client, {**contoh, "judul": "abc"})


def test_kategori_tidak_dikenal(client, contoh):
    assert set(_galat(client, {**contoh, "kategori": "banjir-besar"})) == {"kategori"}


def test_isi_dan_pelapor_kosong(client, contoh):
    assert set(_galat(client, {**contoh, "isi": "   ", "pelapor": ""})) == {"isi", "pelapor"}
