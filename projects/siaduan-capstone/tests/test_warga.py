"""Hidden tests: the warga routes (sending a complaint, its status by ticket number)."""
import re


def test_buat_aduan_201(client, contoh):
    jawaban = client.post("/api/aduan", json={**contoh, "kecamatan": "pondok aren", "kategori": "Jalan"})
    assert jawaban.status_code == 201, f"POST /api/aduan dengan data benar harus 201, bukan {jawaban.status_code}"
    isi = jawaban.get_json()
    assert re.fullmatch(r"ADU-[0-9A-F]{8}", isi["tiket"]), "tiket harus berbentuk ADU-XXXXXXXX (buat_tiket)"
    assert (isi["status"], isi["kecamatan"], isi["kategori"]) == ("baru", "Pondok Aren", "jalan"), \
        "aduan baru: status baru, kecamatan dan kategori dalam bentuk baku"
    kedua = client.post("/api/aduan", json=contoh).get_json()["tiket"]
    assert kedua != isi["tiket"], "setiap aduan mendapat tiket sendiri"


def test_aduan_tidak_valid_400(client, contoh):
    jawaban = client.post("/api/aduan", json={**contoh, "kecamatan": "Bekasi", "isi": "rusak"})
    assert jawaban.status_code == 400, f"data salah harus ditolak dengan 400, bukan {jawaban.status_code}"
    assert set(jawaban.get_json()["galat"]) == {"kecamatan", "isi"}, "galat harus menyebut setiap kolom yang salah"
    for badan in ({"data": "bukan json", "content_type": "text/plain"}, {"json": [1, 2]},
                  {"data": "{rusak", "content_type": "application/json"}):
        jawaban = client.post("/api/aduan", **badan)
        assert jawaban.status_code == 400, f"badan yang bukan objek JSON harus 400, bukan {jawaban.status_code}"
        assert "galat" in jawaban.get_json(), "jawaban 400 harus memuat galat"
    papan = client.get("/api/aduan")
    assert papan.status_code == 200, f"GET /api/aduan (papan publik) harus 200, bukan {papan.status_code}"
    assert papan.get_json()["jumlah"] == 0, "aduan yang ditolak tidak boleh tersimpan"


def test_cek_status_dengan_tiket(client, kirim):
    tiket = kirim()
    kirim(kecamatan="Setu")
    jawaban = client.get(f"/api/aduan/{tiket}")
    assert jawaban.status_code == 200, f"GET /api/aduan/<tiket> harus 200, bukan {jawaban.status_code}"
    isi = jawaban.get_json()
    assert (isi["tiket"], isi["status"], isi["kecamatan"]) == (tiket, "baru", "Pondok Aren")
    papan = client.get("/api/aduan").get_json()
    assert papan["jumlah"] == 2 and [a["kecamatan"] for a in papan["data"]] == ["Pondok Aren", "Setu"], \
        "papan publik memuat semua aduan, urut waktu masuk"


def test_tiket_tidak_ada_404(client, kirim):
    kirim()
    jawaban = client.get("/api/aduan/ADU-00000000")
    assert jawaban.status_code == 404, f"tiket yang tidak ada harus 404, bukan {jawaban.status_code}"
    assert "galat" in jawaban.get_json(), "jawaban 404 harus memuat galat"


def test_halaman_cek_status(client, contoh):
    terkirim = client.post("/", data=contoh)
    assert terkirim.status_code == 200, f"formulir aduan yang benar harus 200, bukan {terkirim.status_code}"
    tiket = re.search(r"ADU-[0-9A-F]{8}", terkirim.get_data(as_text=True))
    assert tiket, "halaman setelah mengirim harus menampilkan nomor tiket"
    halaman = client.get(f"/cek?tiket={tiket.group(0)}")
    assert halaman.status_code == 200, f"/cek dengan tiket yang ada harus 200, bukan {halaman.status_code}"
    assert re.search(r">\s*baru\s*<", halaman.get_data(as_text=True)), "/cek harus menampilkan status aduan"
    assert client.get("/cek?tiket=ADU-00000000").status_code == 404, "/cek dengan tiket yang tidak ada harus 404"
