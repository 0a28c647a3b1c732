"""Hidden tests: creating a complaint."""


def test_buat_pengaduan_mengembalikan_201(client, contoh):
    jawaban = client.post("/api/pengaduan", json=contoh)
    assert jawaban.status_code == 201, f"POST /api/pengaduan harus 201, bukan {jawaban.status_code}"
    isi = jawaban.get_json()
    assert isi["id"] == 1 and isi["judul"] == contoh["judul"] and isi["kategori"] == "jalan"
    kedua = client.post("/api/pengaduan", json={**contoh, "judul": "Sampah menumpuk", "kategori": "sampah"})
    assert kedua.get_json()["id"] == 2, "id pengaduan kedua harus 2"


def test_pengaduan_baru_berstatus_baru(client, contoh):
    nomor = client.post("/api/pengaduan", json=contoh).get_json()["id"]
    jawaban = client.get(f"/api/pengaduan/{nomor}")
    assert jawaban.status_code == 200
    assert jawaban.get_json()["status"] == "baru", "pengaduan baru harus berstatus 'baru'"
