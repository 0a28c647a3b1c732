"""Uji saya sendiri untuk SiAduan (Tugas 5): minimal lima fungsi `def test_...`.

Setiap uji membuat aplikasi baru dengan basis data kosong (fixture `klien`), mengirim permintaan,
lalu memeriksa kode status dan isi jawabannya. Lihat README bagian "Tugas 5" untuk ide uji.
Jalankan dengan: pytest tests/test_saya.py -v
"""
import pytest

from siaduan import create_app

TOKEN_PETUGAS = "token-petugas-uji-saya"
TOKEN_WARGA = "token-warga-uji-saya"
PETUGAS = {"Authorization": f"Bearer {TOKEN_PETUGAS}"}
WARGA = {"Authorization": f"Bearer {TOKEN_WARGA}"}
ADUAN = {"pelapor": "Dewi Lestari", "telepon": "0857-1234-5678", "kecamatan": "Ciputat",
         "kategori": "sampah", "isi": "Sampah menumpuk di TPS Jl. Aria Putra sejak tiga hari."}


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


# Tulis uji Anda di bawah ini.
