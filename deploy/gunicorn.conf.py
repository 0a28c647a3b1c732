"""gunicorn settings for TIC Academy: ``gunicorn -c deploy/gunicorn.conf.py wsgi:app``.

Every value can be overridden with GUNICORN_* environment variables (see docs/deploy.md).
Prometheus multiprocess mode: each worker writes its series into PROMETHEUS_MULTIPROC_DIR; the
folder is cleaned of dead processes' files at start-up and a worker's live gauges are dropped when it exits.
"""
import glob
import os
import re

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
#: One worker per core: a worker runs Python on one core at a time (the GIL), so more workers than cores
#: only queue for the CPU (on 2 cores: 2 workers). The app's own work is short (grading runs in Celery workers).
workers = int(os.environ.get("GUNICORN_WORKERS", str(os.cpu_count() or 2)))
#: Threads per worker cover the waits: the database, a log-in waiting for its password-hashing slot
#: (TIC_PASSWORD_HASH_SLOTS), Run/Check waiting for a Celery worker.
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
worker_class = "gthread"
#: Longer than the longest request: Run/Check wait for a Celery worker (runners.GRADE_NOW_TIMEOUT_S = 120).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "150"))
graceful_timeout = 30
keepalive = 5
#: Restart workers now and then (with jitter) so slow leaks cannot grow for ever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
#: The app writes its own JSON access line per request (TIC_LOG_FORMAT=json); errors go to stderr.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
forwarded_allow_ips = "127.0.0.1"  # gunicorn's own check; the app decides with TIC_TRUSTED_PROXIES
proc_name = "tic-academy"
#: gunicorn's control socket ($HOME/.gunicorn/gunicorn.ctl) is not used; two stacks on one host would share it.
control_socket_disable = True


def _multiproc_dir():
    """The Prometheus multiprocess folder, or None."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def _pid_alive(pid: int) -> bool:
    """True when a process with this pid exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def on_starting(server):
    """Create the metrics folder and remove files of processes that no longer run (an earlier start)."""
    folder = _multiproc_dir()
    if not folder:
        return
    os.makedirs(folder, exist_ok=True)
    for path in glob.glob(os.path.join(folder, "*.db")):
        match = re.search(r"_(\d+)\.db$", path)
        if match and not _pid_alive(int(match.group(1))):
            os.remove(path)


def child_exit(server, worker):
    """A worker ended: its live gauges (kernel pool) no longer count."""
    if _multiproc_dir():
        from prometheus_client import multiprocess  # only under multiprocess mode

        multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):
    """Do the first request's one-off work (mappers, templates, catalogues) before the worker serves."""
    from tic_academy.ops.warm_up import start_grading, warm_up  # importable once the worker has loaded wsgi:app

    worker.log.info("warmed up in %.2f s (tic_academy/ops/warm_up.py)", warm_up(worker.wsgi))
    if start_grading(worker.wsgi):
        worker.log.info("grading engine started: its kernel pool fills in the background (TIC_RUNNER=local)")
