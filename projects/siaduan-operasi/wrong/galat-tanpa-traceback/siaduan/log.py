"""Logging SiAduan: satu baris per permintaan, galat dengan traceback (langkah 2 di README)."""
import logging
import sys
import time

from flask import g, request

FORMAT_LOG = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def atur_logging(app):
    """Memasang handler log pada app.logger sesuai LOG_LEVEL dan LOG_FILE, dan mencatat setiap permintaan."""
    logger = app.logger
    for handler in list(logger.handlers):  # create_app bisa dipanggil berkali-kali (pengujian)
        logger.removeHandler(handler)
        handler.close()
    handlers = [logging.StreamHandler(sys.stderr)]
    if app.config["LOG_FILE"]:
        handlers.append(logging.FileHandler(app.config["LOG_FILE"], encoding="utf-8"))
    for handler in handlers:
        handler.setFormatter(logging.Formatter(FORMAT_LOG))
        logger.addHandler(handler)
    logger.setLevel(app.config["LOG_LEVEL"])

    @app.before_request
    def mulai_hitung():
        g.mulai = time.perf_counter()

    @app.after_request
    def catat_permintaan(response):
        # request.path saja: query string (?token=...), header dan isi permintaan bisa memuat rahasia.
        durasi_ms = (time.perf_counter() - g.get("mulai", time.perf_counter())) * 1000
        logger.info("%s %s %s %.1fms", request.method, request.path, response.status_code, durasi_ms)
        return response

    @app.errorhandler(Exception)
    def galat_server(error):
        logger.error("Terjadi galat: %s", error)
        return {"galat": "terjadi kesalahan di server"}, 500
