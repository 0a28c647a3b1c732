"""Hidden tests: the WSGI entry point for gunicorn and its config file."""


def test_wsgi_app_bisa_diimpor(lingkungan):
    lingkungan.atur()
    jawaban = lingkungan.modul("wsgi").app.test_client().get("/health")
    assert jawaban.status_code == 200, "wsgi.app harus aplikasi SiAduan yang menjawab GET /health dengan 200"


def test_konfigurasi_gunicorn(lingkungan):
    nilai = lingkungan.modul("runpy").run_path("gunicorn.conf.py")
    assert isinstance(nilai["workers"], int) and nilai["workers"] >= 1, "gunicorn.conf.py harus mengisi workers (angka)"
    assert isinstance(nilai["bind"], str) and nilai["bind"].startswith("127.0.0.1:"), \
        "gunicorn.conf.py harus mengisi bind ke 127.0.0.1:<port> (di belakang proxy)"
