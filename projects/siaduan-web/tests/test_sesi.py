"""Hidden tests: logging in, the session, logging out."""
import pytest


@pytest.mark.sesi
def test_password_salah_ditolak(situs):
    client = situs.client()
    situs.daftar(client)
    jawaban = situs.masuk(client, {"nama_pengguna": situs.WARGA["nama_pengguna"], "password": "bukan-passwordnya"})
    assert jawaban.status_code == 200, "password yang salah: formulir masuk ditampilkan lagi (200)"
    assert "Nama pengguna atau password salah." in situs.halaman(jawaban), \
        "password yang salah harus memberi pesan 'Nama pengguna atau password salah.'"
    tidak_ada = situs.masuk(client, {"nama_pengguna": "tidak-ada", "password": "apa-saja-123"})
    assert tidak_ada.status_code == 200, "nama pengguna yang tidak ada: formulir masuk ditampilkan lagi (200)"
    assert client.get("/aduan/").status_code == 302, "setelah gagal masuk, pengguna belum boleh masuk"


@pytest.mark.sesi
def test_masuk_lalu_keluar(situs):
    client = situs.warga_masuk()
    jawaban = client.get("/aduan/")
    assert jawaban.status_code == 200, "setelah masuk, halaman aduan saya harus terbuka"
    assert situs.WARGA["nama_pengguna"] in situs.halaman(jawaban), "nama pengguna yang masuk harus tampil"
    lain = situs.client()
    assert lain.get("/aduan/").status_code == 302, "sesi milik satu peramban, bukan milik semua"
    keluar = client.post("/auth/keluar")
    assert keluar.status_code == 302, "keluar harus mengarahkan ke halaman lain"
    jawaban = client.get("/aduan/")
    assert jawaban.status_code == 302 and "/auth/masuk" in jawaban.headers["Location"], \
        "setelah keluar, halaman aduan saya harus mengarahkan ke halaman masuk"
