"""Hidden tests: label_status, the trainee's own small task (done on their own branch)."""
import pytest


def test_label_setiap_status(modul):
    label_status = modul("aduan.status").label_status
    didapat = [label_status(status) for status in ("baru", "diproses", "selesai", "ditolak", "  Diproses ")]
    assert didapat == ["Baru", "Sedang diproses", "Selesai", "Ditolak", "Sedang diproses"], didapat


def test_status_tidak_dikenal_valueerror(modul):
    with pytest.raises(ValueError):
        modul("aduan.status").label_status("hilang")
