"""Konfigurasi SiAduan dari variabel environment (langkah 1 di README)."""

#: Tingkat log yang boleh dipakai di SIADUAN_LOG_LEVEL.
TINGKAT_LOG = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class KonfigurasiSalah(RuntimeError):
    """Konfigurasi dari environment tidak lengkap atau tidak benar."""


def muat_konfigurasi(lingkungan, testing=False):
    """Konfigurasi aplikasi (dict untuk app.config) dari lingkungan, misalnya os.environ."""
    kunci = lingkungan.get("SIADUAN_SECRET_KEY", "").strip() or "rahasia-siaduan-2026"
    tingkat = lingkungan.get("SIADUAN_LOG_LEVEL", "INFO").strip().upper()
    if tingkat not in TINGKAT_LOG:
        raise KonfigurasiSalah(f"SIADUAN_LOG_LEVEL harus salah satu dari {', '.join(TINGKAT_LOG)}, bukan {tingkat!r}")
    return {
        "SECRET_KEY": kunci,
        "DATABASE": lingkungan.get("SIADUAN_DATABASE", "siaduan.db"),
        "LOG_LEVEL": tingkat,
        "LOG_FILE": lingkungan.get("SIADUAN_LOG_FILE") or None,
    }
