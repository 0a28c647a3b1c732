"""Hidden tests: the petugas list and the per-kecamatan report."""


def test_daftar_petugas_disaring(client, kirim, petugas):
    setu, _, pamulang = kirim(kecamatan="Setu"), kirim(kecamatan="Pamulang"), kirim(kecamatan="pamulang")
    client.patch(f"/api/petugas/aduan/{pamulang}/status", json={"status": "diproses"}, headers=petugas)
    semua = client.get("/api/petugas/aduan", headers=petugas).get_json()
    assert semua["jumlah"] == 3 and semua["data"][0]["tiket"] == setu, "tanpa saringan: semua aduan, urut waktu masuk"
    hasil = client.get("/api/petugas/aduan?kecamatan=PAMULANG&status=diproses", headers=petugas).get_json()
    assert [a["tiket"] for a in hasil["data"]] == [pamulang], "saringan kecamatan dan status harus digabung"
    assert client.get("/api/petugas/aduan?status=beres", headers=petugas).status_code == 400
    assert client.get("/api/petugas/aduan?kecamatan=Bekasi", headers=petugas).status_code == 400


def test_rekap_per_kecamatan(client, kirim, petugas):
    tiket = [kirim(kecamatan=k) for k in ("Setu", "Setu", "Setu", "Ciputat")]
    for status in ("diproses", "selesai"):
        client.patch(f"/api/petugas/aduan/{tiket[0]}/status", json={"status": status}, headers=petugas)
    client.patch(f"/api/petugas/aduan/{tiket[1]}/status", json={"status": "ditolak"}, headers=petugas)
    jawaban = client.get("/api/petugas/rekap", headers=petugas)
    assert jawaban.status_code == 200, f"GET /api/petugas/rekap harus 200 untuk petugas, bukan {jawaban.status_code}"
    rekap = jawaban.get_json()["data"]
    assert [b["kecamatan"] for b in rekap] == ["Serpong", "Serpong Utara", "Ciputat", "Ciputat Timur", "Pamulang",
                                               "Pondok Aren", "Setu"], "rekap memuat ketujuh kecamatan, urutan KECAMATAN"
    assert rekap[6] == {"kecamatan": "Setu", "total": 3, "baru": 1, "diproses": 0, "selesai": 1, "ditolak": 1}, \
        "angka rekap Setu belum tepat"
    assert rekap[2]["total"] == 1 and rekap[2]["baru"] == 1, "angka rekap Ciputat belum tepat"
    assert rekap[0] == {"kecamatan": "Serpong", "total": 0, "baru": 0, "diproses": 0, "selesai": 0, "ditolak": 0}, \
        "kecamatan tanpa aduan tetap muncul dengan angka 0"
