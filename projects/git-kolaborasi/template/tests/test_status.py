"""Uji publik label status (tugas Anda): jalankan dengan `pytest`."""
import pytest

from aduan.status import label_status


def test_label_status_baru():
    assert label_status("baru") == "Baru"


def test_label_status_diproses():
    assert label_status("diproses") == "Sedang diproses"


def test_status_tidak_dikenal():
    with pytest.raises(ValueError):
        label_status("hilang")
