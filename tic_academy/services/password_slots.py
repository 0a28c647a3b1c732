"""At most N password hashes at once on this host, across every worker process and thread.

argon2 is slow on purpose (tens of milliseconds of a core per hash). Fifty people logging in within a
few seconds would otherwise take every core and stall the page views of everyone already working, so
each hash first takes one of N slots: a file in a folder shared by the host's workers, locked with
``flock``. A slot is free again when its holder closes the file, also when its process dies, so a crashed
worker never keeps one. A caller waits for a free slot (checking every few milliseconds: not strictly
first come, first served) and gives up with SlotsBusy after ``wait_s`` seconds.
"""
from __future__ import annotations

import fcntl
import os
import tempfile
import time
from contextlib import contextmanager

#: How often a waiting caller looks for a free slot again (seconds).
POLL_S = 0.005


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
