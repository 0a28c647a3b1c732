"""Hidden tests: who may see and change what (checked first)."""


def _rute_petugas(client, tiket="ADU-00000000"):
    """Each petugas route called with the given headers: a list of (name, status code).

    The ticket need not exist: who is asking is checked before anything else.
    """
    def panggil(headers):
        return [
            ("GET /api/petugas/aduan", client.get("/api/petugas/aduan", headers=headers).status_code),
            ("PATCH status", client.patch(f"/api/petugas/aduan/{tiket}/status", json={"status": "diproses"},
                                          headers=headers).status_code),
            ("GET /api/petugas/rekap", client.get("/api/petugas/rekap", headers=headers).status_code),
        ]
    return panggil


def test_petugas_tanpa_token_401(client):
    panggil = _rute_petugas(client)
    for rute, kode in panggil({}):
        assert kode == 401, f"{rute} tanpa token harus 401, bukan {kode}"


def test_warga_ditolak_403(client, warga):
    panggil = _rute_petugas(client)
    for rute, kode in panggil(warga):
        assert kode == 403, f"{rute} dengan token warga harus 403 (dikenal, tetapi bukan petugas), bukan {kode}"


def test_token_salah_ditolak(client, token_petugas):
    panggil = _rute_petugas(client)
    salah = [
        token_petugas[:-1] + ("0" if token_petugas[-1] != "0" else "1"),   # same length, last character differs
        token_petugas[:-3],                                                # a prefix of the real token
        token_petugas + "x",                                               # the real token plus one character
        token_petugas.upper(),
        "pétugas-token-salah",                                             # not plain ASCII
    ]
    for token in salah:
        for rute, kode in panggil({"Authorization": f"Bearer {token}"}):
            assert kode == 401, f"{rute} dengan token yang salah harus 401, bukan {kode}"
    for header in ("Bearer ", "Bearer", token_petugas, f"Basic {token_petugas}"):
        for rute, kode in panggil({"Authorization": header}):
            assert kode == 401, f"{rute} dengan header Authorization yang tidak lengkap harus 401, bukan {kode}"


def test_rute_publik_tanpa_data_pribadi(client, contoh, pribadi):
    nama, telepon = pribadi
    dibuat = client.post("/api/aduan", json=contoh)
    assert dibuat.status_code == 201, f"POST /api/aduan harus 201, bukan {dibuat.status_code}"
    tiket = dibuat.get_json()["tiket"]
    halaman = {
        "jawaban POST /api/aduan": dibuat.get_data(as_text=True),
        "GET /api/aduan/<tiket>": client.get(f"/api/aduan/{tiket}").get_data(as_text=True),
        "GET /api/aduan (papan publik)": client.get("/api/aduan").get_data(as_text=True),
        "halaman /cek": client.get(f"/cek?tiket={tiket}").get_data(as_text=True),
    }
    for rute, teks in halaman.items():
        assert nama not in teks, f"{rute} memuat nama pelapor; hanya petugas yang boleh melihatnya"
        assert telepon not in teks, f"{rute} memuat nomor HP pelapor; hanya petugas yang boleh melihatnya"
        assert contoh["isi"] not in teks, f"{rute} memuat isi aduan; rute publik hanya menampilkan kolom publik"


def test_petugas_melihat_data_pelapor(client, kirim, petugas, pribadi):
    nama, telepon = pribadi
    tiket = kirim()
    jawaban = client.get("/api/petugas/aduan", headers=petugas)
    assert jawaban.status_code == 200, f"petugas dengan token sah harus mendapat 200, bukan {jawaban.status_code}"
    aduan = jawaban.get_json()["data"][0]
    assert aduan["tiket"] == tiket and aduan["pelapor"] == nama, "petugas harus melihat nama pelapor"
    assert aduan["telepon"] == "+62" + telepon, "petugas harus melihat nomor HP dalam bentuk baku +62..."


def test_warga_tidak_menentukan_status(client, contoh):
    jawaban = client.post("/api/aduan", json={**contoh, "status": "selesai"})
    if jawaban.status_code == 201:
        assert jawaban.get_json()["status"] == "baru", "aduan baru selalu berstatus baru, apa pun kiriman warga"
    else:
        assert jawaban.status_code == 400, f"kolom status dari warga: tolak (400) atau abaikan, bukan {jawaban.status_code}"
