"""deploy/gunicorn.conf.py fits the host: one worker per core (the GIL), threads for the waits."""
import os
import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


def test_one_worker_per_core_by_default(monkeypatch):
    """Without GUNICORN_* variables, are there as many workers as cores, each with 8 threads?"""
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    monkeypatch.delenv("GUNICORN_THREADS", raising=False)
    conf = runpy.run_path(str(CONF))
    assert (conf["workers"], conf["threads"], conf["worker_class"]) == (os.cpu_count(), 8, "gthread")


def test_the_environment_overrides_the_shape(monkeypatch):
    """Do GUNICORN_WORKERS and GUNICORN_THREADS replace the defaults?"""
    monkeypatch.setenv("GUNICORN_WORKERS", "5")
    monkeypatch.setenv("GUNICORN_THREADS", "3")
    conf = runpy.run_path(str(CONF))
    assert (conf["workers"], conf["threads"]) == (5, 3)
