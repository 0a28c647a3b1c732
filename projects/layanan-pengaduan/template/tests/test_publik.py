"""Uji publik: jalankan dengan `pytest`. Uji tersembunyi platform memeriksa lebih banyak hal."""
import pytest

from pengaduan import create_app

CONTOH = {"judul": "Lampu jalan mati", "isi": "Lampu di Jl. Merdeka mati sejak kemarin malam.",
          "kategori": "lampu", "pelapor": "Sari"}


@pytest.fixture
def client():
    return create_app({"TESTING": True}).test_client()


def test_membuat_pengaduan(client):
    jawaban = client.post("/api/pengaduan", json=CONTOH)
    assert jawaban.status_code == 201
    assert jawaban.get_json()["id"] == 1


def test_judul_kosong_ditolak(client):
    jawaban = client.post("/api/pengaduan", json={**CONTOH, "judul": ""})
    assert jawaban.status_code == 400
    assert "judul" in jawaban.get_json()["galat"]
