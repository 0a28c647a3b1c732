"""Fixtures shared by the hidden tests (loaded by the platform with -p, never by the trainee).

The app is built the way a server builds it: environment variables set in the trainee's process
(``modul("os").environ``), then ``modul("siaduan").create_app()``. The database and the log file live in a
fresh folder made by the trainee's process under /tmp; files are read back through handles, as data.
"""
import pytest

#: Every variable a test may set; each test starts with none of them set.
VARIABEL = ("SIADUAN_SECRET_KEY", "SIADUAN_DATABASE", "SIADUAN_LOG_LEVEL", "SIADUAN_LOG_FILE")
#: The secret key the tests use; it must never appear in the log.
KUNCI_RAHASIA = "KunciRahasia-uji-7710-zq"
CONTOH = {"judul": "Jalan berlubang", "isi": "Lubang besar di depan pasar, sudah dua minggu.", "pelapor": "Budi"}


class Lingkungan:
    """The trainee's environment and the test's folder: set variables, build the app, read the log."""

    def __init__(self, modul, folder):
        self.modul = modul
        self.folder = folder
        self.folder_db = f"{folder}/db"
        self.database = f"{folder}/db/siaduan.db"
        self.log = f"{folder}/siaduan.log"
        self.kunci = KUNCI_RAHASIA
        modul("os").makedirs(self.folder_db)

    def atur(self, **nilai):
        """Set the SIADUAN_* variables: the defaults below, changed by ``nilai`` (None removes one)."""
        environ = self.modul("os").environ
        for nama in VARIABEL:
            environ.pop(nama, None)
        semua = {"SIADUAN_SECRET_KEY": KUNCI_RAHASIA, "SIADUAN_DATABASE": self.database,
                 "SIADUAN_LOG_LEVEL": "INFO", "SIADUAN_LOG_FILE": self.log}
        semua.update({f"SIADUAN_{nama}": isi for nama, isi in nilai.items()})
        environ.update({nama: isi for nama, isi in semua.items() if isi is not None})

    def app(self, **nilai):
        """The trainee's app built by create_app() from the variables (see ``atur``)."""
        self.atur(**nilai)
        return self.modul("siaduan").create_app()

    def putuskan_database(self):
        """Make the database unreachable: remove its folder, so SQLite cannot open the file."""
        self.modul("shutil").rmtree(self.folder_db)

    def isi_log(self):
        """The text of the log file SIADUAN_LOG_FILE names (the test fails clearly when there is none)."""
        assert self.modul("os.path").exists(self.log), "berkas log SIADUAN_LOG_FILE tidak dibuat oleh aplikasi"
        return self.modul("pathlib").Path(self.log).read_text(encoding="utf-8")


@pytest.fixture
def lingkungan(modul):
    """A Lingkungan in a new folder; the SIADUAN_* variables are removed again afterwards."""
    hasil = Lingkungan(modul, modul("tempfile").mkdtemp(prefix="siaduan-uji-"))
    yield hasil
    environ = modul("os").environ
    for nama in VARIABEL:
        environ.pop(nama, None)


@pytest.fixture
def contoh():
    """A valid complaint (a copy the test may change)."""
    return dict(CONTOH)
