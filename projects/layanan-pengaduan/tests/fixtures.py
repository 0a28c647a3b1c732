"""Fixtures shared by the hidden tests (loaded by the platform with -p, never by the trainee)."""
import pytest

from pengaduan import create_app

CONTOH = {"judul": "Jalan berlubang", "isi": "Lubang besar di depan pasar, sudah dua minggu.",
          "kategori": "jalan", "pelapor": "Budi"}


@pytest.fixture
def client():
    """A test client of a fresh app (its own store)."""
    return create_app({"TESTING": True}).test_client()


@pytest.fixture
def contoh():
    """A valid complaint (a copy the test may change)."""
    return dict(CONTOH)
