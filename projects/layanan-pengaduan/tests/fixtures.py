"""Fixtures shared by the hidden tests (loaded by the platform with -p, never by the trainee).

The hidden tests run in the platform's harness, not beside the trainee's code: ``modul("pengaduan")``
is the trainee's package as a handle (imported in the trainee's process), so the app and the test
client below are handles too, and ``jawaban.status_code`` / ``jawaban.get_json()`` come back as data.
"""
import pytest

CONTOH = {"judul": "Jalan berlubang", "isi": "Lubang besar di depan pasar, sudah dua minggu.",
          "kategori": "jalan", "pelapor": "Budi"}


@pytest.fixture
def client(modul):
    """A test client of a fresh app (its own store), built by the trainee's create_app."""
    return modul("pengaduan").create_app({"TESTING": True}).test_client()


@pytest.fixture
def contoh():
    """A valid complaint (a copy the test may change)."""
    return dict(CONTOH)
