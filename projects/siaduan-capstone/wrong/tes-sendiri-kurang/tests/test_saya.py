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


def kirim(klien, **ubah):
    """Mengirim aduan (dengan perubahan) dan mengembalikan nomor tiketnya."""
    jawaban = klien.post("/api/aduan", json={**ADUAN, **ubah})
    assert jawaban.status_code == 201
    return jawaban.get_json()["tiket"]


def test_nomor_hp_tidak_muncul_di_rute_publik(klien):
    tiket = kirim(klien)
    for url in ("/api/aduan", f"/api/aduan/{tiket}", f"/cek?tiket={tiket}"):
        teks = klien.get(url).get_data(as_text=True)
        assert "85712345678" not in teks
        assert "Dewi" not in teks


def test_token_warga_tidak_boleh_mengubah_status(klien):
    tiket = kirim(klien)
    jawaban = klien.patch(f"/api/petugas/aduan/{tiket}/status", json={"status": "diproses"}, headers=WARGA)
    assert jawaban.status_code == 403
    assert klien.get(f"/api/aduan/{tiket}").get_json()["status"] == "baru"


def test_token_salah_panjang_sama_ditolak(klien):
    salah = TOKEN_PETUGAS[:-1] + "X"
    jawaban = klien.get("/api/petugas/aduan", headers={"Authorization": f"Bearer {salah}"})
    assert jawaban.status_code == 401
