"""Hidden tests: listing and reading complaints."""


def _isi(client, contoh, jumlah):
    for urutan in range(jumlah):
        client.post("/api/pengaduan", json={**contoh, "judul": f"Pengaduan nomor {urutan + 1}"})


def test_daftar_memuat_semua(client, contoh):
    _isi(client, contoh, 3)
    daftar = client.get("/api/pengaduan").get_json()
    assert [p["id"] for p in daftar] == [1, 2, 3]


def test_saring_menurut_status(client, contoh):
    _isi(client, contoh, 3)
    client.patch("/api/pengaduan/2/status", json={"status": "diproses"})
    diproses = client.get("/api/pengaduan?status=diproses").get_json()
    assert [p["id"] for p in diproses] == [2], "?status=diproses harus hanya memuat pengaduan 2"


def test_ambil_yang_tidak_ada_404(client, contoh):
    _isi(client, contoh, 1)
    assert client.get("/api/pengaduan/99").status_code == 404
