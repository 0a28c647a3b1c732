"""Hidden tests: the log file (SIADUAN_LOG_FILE), read back as text."""
import re

SANDI = "SandiRahasia-uji-4821-qx"
TOKEN = "TokenRahasia-uji-9932-kw"


def _baris_permintaan(log, metode, path, status):
    """The log lines that record one request: method, path, status and a duration in ms."""
    pola = re.compile(rf"{metode} {re.escape(path)} {status} \d+(\.\d+)? ?ms")
    return [baris for baris in log.splitlines() if pola.search(baris)]


def test_satu_baris_per_permintaan(lingkungan, contoh):
    client = lingkungan.app().test_client()
    client.post("/api/aduan", json=contoh)
    client.get("/api/aduan")
    client.get("/api/aduan/99")
    log = lingkungan.isi_log()
    for metode, path, status in (("POST", "/api/aduan", 201), ("GET", "/api/aduan", 200), ("GET", "/api/aduan/99", 404)):
        assert len(_baris_permintaan(log, metode, path, status)) == 1, \
            f"log harus memuat tepat satu baris '{metode} {path} {status} <durasi>ms' untuk permintaan itu"


def test_log_level_dipatuhi(lingkungan):
    client = lingkungan.app(LOG_LEVEL="WARNING").test_client()
    client.get("/api/aduan")
    lingkungan.putuskan_database()
    assert client.get("/api/aduan").status_code == 500, "permintaan saat database hilang harus 500"
    log = lingkungan.isi_log()
    assert not _baris_permintaan(log, "GET", "/api/aduan", 200), \
        "dengan SIADUAN_LOG_LEVEL=WARNING baris permintaan (INFO) tidak boleh ditulis"
    assert "Traceback" in log, "dengan SIADUAN_LOG_LEVEL=WARNING galat (ERROR) tetap harus ditulis"


def test_galat_dicatat_dengan_traceback(lingkungan):
    client = lingkungan.app().test_client()
    lingkungan.putuskan_database()
    assert client.get("/api/aduan").status_code == 500, "permintaan saat database hilang harus 500"
    log = lingkungan.isi_log()
    assert "Traceback (most recent call last)" in log, "galat di server harus dicatat dengan traceback-nya"
    assert "OperationalError" in log, "catatan galat harus memuat jenis galatnya"
    assert _baris_permintaan(log, "GET", "/api/aduan", 500), "permintaan yang gagal juga dicatat satu baris"


def test_tidak_ada_rahasia_di_log(lingkungan):
    client = lingkungan.app(LOG_LEVEL="DEBUG").test_client()
    client.post("/api/masuk", json={"nama": "petugas1", "kata_sandi": SANDI})
    client.patch("/api/aduan/1/status", json={"status": "diproses"}, headers={"Authorization": f"Bearer {TOKEN}"})
    client.get(f"/api/aduan?token={TOKEN}")
    log = lingkungan.isi_log()
    assert _baris_permintaan(log, "POST", "/api/masuk", 401), "log harus memuat baris 'POST /api/masuk 401 <durasi>ms'"
    assert SANDI not in log, "kata sandi tidak boleh tertulis di log"
    assert TOKEN not in log, "token tidak boleh tertulis di log (header Authorization, query string)"
    assert lingkungan.kunci not in log, "SIADUAN_SECRET_KEY tidak boleh tertulis di log"
