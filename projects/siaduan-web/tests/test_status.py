"""Hidden tests: a petugas changes a complaint's status along the flow."""


def status(situs, nomor=1):
    """The stored status of complaint ``nomor``."""
    return situs.sql("SELECT status FROM aduan WHERE id = ?", (nomor,))[0][0]


def test_petugas_mengubah_status(situs):
    situs.kirim_aduan(situs.warga_masuk())
    petugas = situs.petugas_masuk()
    for baru in ("diproses", "selesai"):
        jawaban = petugas.post("/petugas/aduan/1/status", data={"status": baru})
        assert jawaban.status_code == 302, "setelah mengubah status, arahkan kembali ke halaman aduan (302)"
        assert status(situs) == baru, f"status aduan harus menjadi {baru}"
    assert "selesai" in situs.halaman(petugas.get("/aduan/1")), "halaman aduan harus menampilkan status barunya"


def test_perpindahan_status_terlarang(situs):
    warga = situs.warga_masuk()
    situs.kirim_aduan(warga)
    situs.kirim_aduan(warga, judul="Jalan berlubang di Ciputat", kategori="jalan")
    petugas = situs.petugas_masuk()
    petugas.post("/petugas/aduan/1/status", data={"status": "selesai"})
    assert status(situs, 1) == "baru", "aduan baru tidak boleh langsung selesai (harus diproses dulu)"
    petugas.post("/petugas/aduan/2/status", data={"status": "hilang"})
    assert status(situs, 2) == "baru", "status yang tidak dikenal harus ditolak"
    petugas.post("/petugas/aduan/2/status", data={"status": "ditolak"})
    petugas.post("/petugas/aduan/2/status", data={"status": "diproses"})
    assert status(situs, 2) == "ditolak", "aduan yang ditolak tidak boleh dibuka lagi"
    assert petugas.post("/petugas/aduan/9/status", data={"status": "diproses"}).status_code == 404, \
        "aduan yang tidak ada: 404"
