"""Konfigurasi gunicorn untuk SiAduan (langkah 4 di README)."""
import os

bind = os.environ.get("SIADUAN_BIND", "127.0.0.1:8000")  # hanya loopback: nginx yang menghadap internet
workers = int(os.environ.get("SIADUAN_WORKERS", "2"))
timeout = 30
accesslog = "-"  # log akses ke stdout, ditampung journald
errorlog = "-"
