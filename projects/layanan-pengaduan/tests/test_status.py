"""Hidden tests: the status flow."""


def test_ubah_status_berurutan(client, contoh):
    client.post("/api/pengaduan", json=contoh)
    for status in ("diproses", "selesai"):
        jawaban = client.patch("/api/pengaduan/1/status", json={"status": status})
        assert jawaban.status_code == 200, f"baru -> diproses -> selesai harus berhasil ({status})"
        assert jawaban.get_json()["status"] == status
    assert client.get("/api/pengaduan/1").get_json()["status"] == "selesai"


def test_perpindahan_terlarang_409(client, contoh):
    client.post("/api/pengaduan", json=contoh)
    jawaban = client.patch("/api/pengaduan/1/status", json={"status": "selesai"})
    assert jawaban.status_code == 409, "baru tidak boleh langsung selesai"


def test_status_tidak_dikenal_400(client, contoh):
    client.post("/api/pengaduan", json=contoh)
    assert client.patch("/api/pengaduan/1/status", json={"status": "hilang"}).status_code == 400
    assert client.patch("/api/pengaduan/7/status", json={"status": "diproses"}).status_code == 404
