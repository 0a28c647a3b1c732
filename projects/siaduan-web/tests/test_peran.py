"""Hidden tests: the petugas pages are for petugas only."""
import pytest


@pytest.mark.peran
def test_tamu_diarahkan_ke_halaman_masuk(situs):
    client = situs.client()
    for jawaban in (client.get("/petugas/"), client.get("/aduan/"), client.get("/aduan/baru"),
                    client.post("/petugas/aduan/1/status", data={"status": "diproses"})):
        assert jawaban.status_code == 302, "pengunjung yang belum masuk harus diarahkan ke halaman masuk"
        assert "/auth/masuk" in jawaban.headers["Location"], "arahkan ke halaman masuk (/auth/masuk)"


@pytest.mark.peran
def test_warga_mendapat_403_di_halaman_petugas(situs):
    client = situs.warga_masuk()
    situs.kirim_aduan(client)
    assert client.get("/petugas/").status_code == 403, "warga yang membuka halaman petugas harus mendapat 403"
    jawaban = client.post("/petugas/aduan/1/status", data={"status": "selesai"})
    assert jawaban.status_code == 403, "warga tidak boleh mengubah status aduan (403)"
    assert situs.sql("SELECT status FROM aduan WHERE id = 1") == [("baru",)], "status tidak boleh berubah"


@pytest.mark.peran
def test_petugas_melihat_semua_aduan(situs):
    situs.kirim_aduan(situs.warga_masuk())
    situs.kirim_aduan(situs.warga_masuk({"nama_pengguna": "ani", "password": "rahasia-ani-789"}),
                      judul="Got tersumbat di Pamulang", kategori="drainase")
    jawaban = situs.petugas_masuk().get("/petugas/")
    assert jawaban.status_code == 200, "petugas harus bisa membuka halaman petugas"
    html = situs.halaman(jawaban)
    assert situs.ADUAN["judul"] in html and "Got tersumbat di Pamulang" in html, \
        "halaman petugas menampilkan aduan semua warga"
