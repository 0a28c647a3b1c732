"""Fixtures shared by the hidden tests (loaded by the platform with -p, never by the trainee).

The hidden tests run in the platform's harness, not beside the trainee's code: ``modul("siaduan")`` is the
trainee's package as a handle (imported in the trainee's process), so the app and the test client are
handles too, and ``jawaban.status_code`` / ``get_json()`` / ``get_data(as_text=True)`` come back as data.
"""
import uuid

import pytest

TOKEN_PETUGAS = "petugas-9f2c4e7a1b3d5f60"
TOKEN_WARGA = "warga-1a2b3c4d5e6f7a8b9c"
PETUGAS = {"Authorization": f"Bearer {TOKEN_PETUGAS}"}
WARGA = {"Authorization": f"Bearer {TOKEN_WARGA}"}
NAMA = "Rahmat Hidayat"
TELEPON_DIGIT = "81398765432"
CONTOH = {"pelapor": NAMA, "telepon": "0813-9876-5432", "kecamatan": "Pondok Aren",
          "kategori": "jalan", "isi": "Jalan berlubang besar di depan SDN Pondok Aren 3, sudah dua minggu."}


def config():
    """Settings of a fresh app: its own database file under /tmp and the two test accounts."""
    return {
        "TESTING": True,
        "DATABASE": f"/tmp/siaduan-capstone-uji-{uuid.uuid4().hex}.db",
        "AKUN": [
            {"nama": "Sari (petugas DLH)", "peran": "petugas", "token": TOKEN_PETUGAS},
            {"nama": "Budi (warga)", "peran": "warga", "token": TOKEN_WARGA},
        ],
    }


@pytest.fixture
def client(modul):
    """A test client of a fresh app built by the trainee's create_app."""
    return modul("siaduan").create_app(config()).test_client()


@pytest.fixture
def petugas():
    """Headers of a request by a petugas (a valid petugas token)."""
    return dict(PETUGAS)


@pytest.fixture
def warga():
    """Headers of a request by a warga account (a valid token, but not a petugas)."""
    return dict(WARGA)


@pytest.fixture
def token_petugas():
    """The petugas token itself (to build wrong tokens from it)."""
    return TOKEN_PETUGAS


@pytest.fixture
def pribadi():
    """The reporter's personal data in CONTOH that only petugas may see: (name, phone digits)."""
    return NAMA, TELEPON_DIGIT


@pytest.fixture
def contoh():
    """A valid complaint (a copy the test may change)."""
    return dict(CONTOH)


@pytest.fixture
def kirim(client, contoh):
    """Send a complaint (changes given as keywords) and return its ticket number."""
    def kirim_aduan(**ubah):
        jawaban = client.post("/api/aduan", json={**contoh, **ubah})
        assert jawaban.status_code == 201, f"POST /api/aduan dengan data benar harus 201, bukan {jawaban.status_code}"
        return jawaban.get_json()["tiket"]
    return kirim_aduan


@pytest.fixture
def ubah(client, petugas):
    """Change a complaint's status as a petugas; returns the response (a handle)."""
    def ubah_status(tiket, status):
        return client.patch(f"/api/petugas/aduan/{tiket}/status", json={"status": status}, headers=petugas)
    return ubah_status
