"""Fixtures shared by the hidden tests (loaded by the platform with -p, never by the trainee).

Everything reaches the trainee's app through ``modul`` handles: ``modul("siaduan").create_app({...})`` is the
app in the trainee's process, its test client a handle, and ``status_code`` / ``get_data(as_text=True)`` /
``headers["Location"]`` come back as data. The database is a fresh SQLite file in a folder the trainee's
process makes under its temporary directory; tests read it with ``sqlite3`` (also in the trainee's process),
so they compare plain rows, never the trainee's objects.
"""
import re

import pytest

#: The revision of the template's first migration (tables pengguna and aduan, without lokasi).
REVISI_AWAL = "3f1a2b4c5d6e"

WARGA = {"nama_pengguna": "budi", "password": "rahasia-budi-123"}
PETUGAS = {"nama_pengguna": "sari", "password": "rahasia-sari-456"}
ADUAN = {"judul": "Lampu jalan mati", "isi": "Lampu di Jl. Merdeka mati sejak kemarin malam.",
         "kategori": "lampu", "lokasi": "Jl. Merdeka 10"}


class Situs:
    """The trainee's app with its database file: build it, run its migrations, read its tables, use its forms."""

    WARGA, PETUGAS, ADUAN, REVISI_AWAL = WARGA, PETUGAS, ADUAN, REVISI_AWAL

    def __init__(self, modul, csrf=False):
        self.modul = modul
        folder = modul("tempfile").mkdtemp(prefix="siaduan-uji-")
        self.berkas = folder + "/siaduan.db"
        self.app = modul("siaduan").create_app({
            "TESTING": True,
            "SECRET_KEY": "kunci-uji",
            "SQLALCHEMY_DATABASE_URI": "sqlite:///" + self.berkas,
            "WTF_CSRF_ENABLED": csrf,
        })

    def upgrade(self, revisi="head"):
        """Run the app's migrations (as ``flask --app siaduan db upgrade``)."""
        self.modul("siaduan.db_tools").upgrade(self.app, revision=revisi)

    def sql(self, perintah, parameter=()):
        """Run one SQL statement on the app's database file; the rows as plain tuples."""
        koneksi = self.modul("sqlite3").connect(self.berkas)
        try:
            baris = koneksi.execute(perintah, parameter).fetchall()
            koneksi.commit()
            return baris
        finally:
            koneksi.close()

    def client(self):
        """A new test client (its own cookies, so its own session)."""
        return self.app.test_client()

    def buat_petugas(self, nama=PETUGAS["nama_pengguna"], password=PETUGAS["password"]):
        """Create a petugas with the app's command ``flask --app siaduan buat-petugas``."""
        hasil = self.app.test_cli_runner().invoke(args=["buat-petugas", nama, "--password", password])
        assert hasil.exit_code == 0, "perintah buat-petugas gagal"

    @staticmethod
    def halaman(jawaban):
        """The response body as text."""
        return jawaban.get_data(as_text=True)

    @staticmethod
    def token_csrf(html):
        """The CSRF token in a page's form (the hidden input named csrf_token), or None."""
        for tag in re.findall(r"<input[^>]*>", html):
            if re.search(r"""name=["']csrf_token["']""", tag):
                nilai = re.search(r"""value=["']([^"']+)["']""", tag)
                if nilai:
                    return nilai.group(1)
        return None

    def daftar(self, client, akun=None, token=None):
        """Register a warga through the form /auth/daftar."""
        akun = akun or WARGA
        data = {"nama_pengguna": akun["nama_pengguna"], "password": akun["password"],
                "ulangi_password": akun["password"]}
        if token:
            data["csrf_token"] = token
        return client.post("/auth/daftar", data=data)

    def masuk(self, client, akun=None, token=None):
        """Log in through the form /auth/masuk."""
        akun = akun or WARGA
        data = {"nama_pengguna": akun["nama_pengguna"], "password": akun["password"]}
        if token:
            data["csrf_token"] = token
        return client.post("/auth/masuk", data=data)

    def warga_masuk(self, akun=None):
        """A client logged in as a newly registered warga (CSRF off)."""
        client = self.client()
        self.daftar(client, akun)
        jawaban = self.masuk(client, akun)
        assert jawaban.status_code == 302, "masuk dengan nama pengguna dan password yang benar harus diarahkan (302)"
        return client

    def petugas_masuk(self):
        """A client logged in as a petugas made with buat-petugas (CSRF off)."""
        self.buat_petugas()
        client = self.client()
        jawaban = self.masuk(client, PETUGAS)
        assert jawaban.status_code == 302, "petugas yang dibuat dengan buat-petugas harus bisa masuk"
        return client

    @staticmethod
    def kirim_aduan(client, **ubah):
        """Post the complaint form /aduan/baru with ADUAN changed by ``ubah``."""
        return client.post("/aduan/baru", data={**ADUAN, **ubah})


@pytest.fixture
def situs_kosong(modul):
    """The trainee's app on an empty database (no migration run yet)."""
    return Situs(modul)


@pytest.fixture
def situs(modul):
    """The trainee's app, its database built by running the migrations, CSRF off."""
    hasil = Situs(modul)
    hasil.upgrade()
    return hasil


@pytest.fixture
def situs_csrf(modul):
    """As ``situs``, with CSRF protection on."""
    hasil = Situs(modul, csrf=True)
    hasil.upgrade()
    return hasil
