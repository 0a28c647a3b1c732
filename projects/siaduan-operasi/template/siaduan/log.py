"""Logging SiAduan: satu baris per permintaan, galat dengan traceback (langkah 2 di README)."""


def atur_logging(app):
    """Memasang handler log pada app.logger sesuai LOG_LEVEL dan LOG_FILE, dan mencatat setiap permintaan."""
    # TODO langkah 2
    raise NotImplementedError("atur_logging belum ditulis (langkah 2 di README)")
