"""At most N password hashes at once on this host, across every worker process and thread.

argon2 is slow on purpose (tens of milliseconds of a core per hash). Fifty people logging in within a
few seconds would otherwise take every core and stall the page views of everyone already working, so
each hash first takes one of N slots: a file in a folder shared by the host's workers, locked with
``flock``. A slot is free again when its holder closes the file, also when its process dies, so a crashed
worker never keeps one. A caller waits for a free slot (checking every few milliseconds: not strictly
first come, first served) and gives up with SlotsBusy after ``wait_s`` seconds.

The hash itself runs on one of the process's hashing threads, whose nice value is PASSWORD_HASH_NICE
(default 10) higher than the pages' (Linux keeps a nice value per thread; argon2 releases the GIL while it
works). When log-ins and page views want the same cores, the pages go first and the log-ins wait a little.
``bench/login_burst.py`` measures it: ten people logging in at the same instant, five times.
"""
from __future__ import annotations

import fcntl
import os
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

#: How often a waiting caller looks for a free slot again (seconds).
POLL_S = 0.005
_threads: dict[tuple[int, int], ThreadPoolExecutor] = {}  # (process, nice) -> that process's hashing threads
_threads_lock = threading.Lock()


class SlotsBusy(Exception):
    """Every slot stayed taken for the whole wait."""


def default_folder() -> str:
    """The slots' folder when none is configured: one per user in the temporary folder."""
    return os.path.join(tempfile.gettempdir(), f"tic-academy-password-slots-{os.getuid()}")


def _try_take(folder: str, number: int) -> int | None:
    """Lock slot ``number``; return its open file (the lock lives as long as it) or None when it is taken."""
    fd = os.open(os.path.join(folder, f"slot-{number}"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


@contextmanager
def slot(folder: str | None, slots: int, wait_s: float):
    """Hold one of ``slots`` host-wide slots in ``folder`` while the block runs; SlotsBusy after ``wait_s``."""
    folder = folder or default_folder()
    os.makedirs(folder, mode=0o700, exist_ok=True)
    deadline = time.monotonic() + wait_s
    fd = None
    while fd is None:
        for number in range(max(1, slots)):
            fd = _try_take(folder, number)
            if fd is not None:
                break
        else:
            if time.monotonic() >= deadline:
                raise SlotsBusy(f"{slots} password slot(s) busy for {wait_s:g} s")
            time.sleep(POLL_S)
    try:
        yield
    finally:
        os.close(fd)  # closing the file ends the lock


def _lower_priority(nice: int) -> None:
    """Make the calling thread (a new hashing thread) ``nice`` nicer; where that is refused, leave it."""
    try:
        me = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, me, min(19, os.getpriority(os.PRIO_PROCESS, me) + nice))
    except (AttributeError, OSError):  # not Linux: the hash runs at the normal priority
        pass


def run_nicer(nice: int, function, *args):
    """Call ``function(*args)`` on one of this process's hashing threads, ``nice`` nicer than the caller
    (0: in the calling thread), and return its result (its exception is raised here). Call it while
    holding a slot: at most one hash per slot runs at once."""
    if nice <= 0:
        return function(*args)
    key = (os.getpid(), nice)  # a new process (a forked worker) makes its own threads
    with _threads_lock:
        executor = _threads.get(key)
        if executor is None:
            executor = _threads[key] = ThreadPoolExecutor(max_workers=os.cpu_count() or 2,
                                                          thread_name_prefix="password-hash",
                                                          initializer=_lower_priority, initargs=(nice,))
    return executor.submit(function, *args).result()
