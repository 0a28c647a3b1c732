"""Uji publik: jalankan dengan `pytest`. Uji tersembunyi platform memeriksa lebih banyak hal."""
import pytest

from siaduan import create_app

TOKEN_PETUGAS = "token-petugas-untuk-uji"
TOKEN_WARGA = "token-warga-untuk-uji"
PETUGAS = {"Authorization": f"Bearer {TOKEN_PETUGAS}"}
ADUAN = {"pelapor": "Sari Wulandari", "telepon": "0812-3456-7890", "kecamatan": "Pamulang",
         "kategori": "penerangan", "isi": "Lampu jalan di Jl. Siliwangi mati sejak Senin malam."}


@pytest.fixture
def klien(tmp_path):
    """Aplikasi baru dengan basis data kosong di folder sementara uji ini."""
    app = create_app({
        "TESTING": True,
        "DATABASE": str(tmp_path / "uji.db"),
        "AKUN": [
            {"nama": "Petugas Uji", "peran": "petugas", "token": TOKEN_PETUGAS},
            {"nama": "Warga Uji", "peran": "warga", "token": TOKEN_WARGA},
        ],
    })
    return app.test_client()


def test_aduan_baru_mendapat_tiket(klien):
    jawaban = klien.post("/api/aduan", json=ADUAN)
    assert jawaban.status_code == 201
    assert jawaban.get_json()["tiket"].startswith("ADU-")
    assert jawaban.get_json()["status"] == "baru"


def test_daftar_petugas_tanpa_token_ditolak(klien):
    assert klien.get("/api/petugas/aduan").status_code == 401


def test_petugas_melihat_nama_pelapor(klien):
    klien.post("/api/aduan", json=ADUAN)
    jawaban = klien.get("/api/petugas/aduan", headers=PETUGAS)
    assert jawaban.status_code == 200
    assert jawaban.get_json()["data"][0]["pelapor"] == "Sari Wulandari"
