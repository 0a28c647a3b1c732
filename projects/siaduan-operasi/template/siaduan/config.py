"""Konfigurasi SiAduan dari variabel environment (langkah 1 di README)."""

#: Tingkat log yang boleh dipakai di SIADUAN_LOG_LEVEL.
TINGKAT_LOG = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class KonfigurasiSalah(RuntimeError):
    """Konfigurasi dari environment tidak lengkap atau tidak benar."""


def muat_konfigurasi(lingkungan, testing=False):
    """Konfigurasi aplikasi (dict untuk app.config) dari lingkungan, misalnya os.environ."""
    # TODO langkah 1: baca SIADUAN_SECRET_KEY, SIADUAN_DATABASE, SIADUAN_LOG_LEVEL, SIADUAN_LOG_FILE.
    raise NotImplementedError("muat_konfigurasi belum ditulis (langkah 1 di README)")
