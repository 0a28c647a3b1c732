"""Hidden tests: the health endpoint."""


def test_health_ok(lingkungan):
    jawaban = lingkungan.app().test_client().get("/health")
    assert jawaban.status_code == 200, f"GET /health harus 200 bila database bisa dipakai, bukan {jawaban.status_code}"
    assert jawaban.get_json() == {"status": "ok", "database": "ok"}, "isi /health harus {status: ok, database: ok}"


def test_health_503_bila_database_tidak_bisa_dihubungi(lingkungan):
    client = lingkungan.app().test_client()
    lingkungan.putuskan_database()
    jawaban = client.get("/health")
    assert jawaban.status_code == 503, \
        f"GET /health harus 503 bila database tidak bisa dibuka, bukan {jawaban.status_code}"
    isi = jawaban.get_json()
    assert isinstance(isi, dict) and isi.get("database") != "ok", "/health tidak boleh melaporkan database ok"
    assert isi.get("status") != "ok", "/health tidak boleh melaporkan status ok"
