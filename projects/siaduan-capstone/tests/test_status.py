"""Hidden tests: the status flow baru -> diproses -> selesai | ditolak, by petugas."""


def test_alur_status_sah(client, kirim, ubah):
    tiket = kirim()
    for status in ("diproses", "selesai"):
        jawaban = ubah(tiket, status)
        assert jawaban.status_code == 200, f"perpindahan ke {status} harus berhasil (200), bukan {jawaban.status_code}"
        assert jawaban.get_json()["status"] == status
    assert client.get(f"/api/aduan/{tiket}").get_json()["status"] == "selesai", "status baru harus tersimpan"
    ditolak_langsung, ditolak_diproses = kirim(), kirim()
    assert ubah(ditolak_langsung, "ditolak").status_code == 200, "baru -> ditolak harus berhasil"
    assert ubah(ditolak_diproses, "diproses").status_code == 200
    assert ubah(ditolak_diproses, "ditolak").status_code == 200, "diproses -> ditolak harus berhasil"


def test_perpindahan_terlarang_409(client, kirim, ubah):
    tiket = kirim()
    for status in ("selesai", "baru"):
        jawaban = ubah(tiket, status)
        assert jawaban.status_code == 409, f"baru -> {status} harus ditolak dengan 409, bukan {jawaban.status_code}"
        assert "galat" in jawaban.get_json(), "jawaban 409 harus memuat galat"
    ubah(tiket, "diproses")
    assert ubah(tiket, "baru").status_code == 409, "diproses tidak boleh kembali ke baru"
    ubah(tiket, "selesai")
    for status in ("diproses", "ditolak", "baru"):
        assert ubah(tiket, status).status_code == 409, "status selesai tidak boleh diubah lagi"
    assert client.get(f"/api/aduan/{tiket}").get_json()["status"] == "selesai", "perpindahan yang ditolak tidak tersimpan"


def test_status_tidak_dikenal_400_dan_tiket_404(client, kirim, ubah, petugas):
    tiket = kirim()
    assert ubah(tiket, "beres").status_code == 400, "status yang tidak dikenal harus 400"
    jawaban = client.patch(f"/api/petugas/aduan/{tiket}/status", data="x", headers=petugas)
    assert jawaban.status_code == 400, "badan yang bukan JSON harus 400"
    assert ubah("ADU-00000000", "diproses").status_code == 404, "tiket yang tidak ada harus 404"
