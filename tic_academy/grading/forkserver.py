"""The orchestrator's side of the fork server (inside/zygote.py): one zygote per pool, one link per kernel.

Starting Python and importing ipykernel costs about half a second of CPU; the zygote pays it once and
forks each grading's kernel into namespaces, a uid, rlimits and a seccomp filter of its own.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import struct
import subprocess
import threading
import time

from . import sandbox, seccomp
from .limits import Limits

log = logging.getLogger(__name__)

#: Seconds a kernel's supervisor may take to answer (a zygote still importing ipykernel included).
HELLO_TIMEOUT_S = 30


class ForkFailed(RuntimeError):
    """The zygote could not fork a kernel (it died, or the grading's setup failed)."""


def available(mode: str) -> bool:
    """Can kernels be forked from a zygote here (bubblewrap as root: each kernel gets its own uid)?"""
    return mode == "bwrap" and os.geteuid() == 0 and hasattr(os, "pidfd_open") and bool(shutil.which("bwrap"))


class ForkedKernel:
    """The link to one forked kernel's supervisor: its pid, its exit status, and how to kill it."""

    def __init__(self, link: socket.socket, generation: int = 0):
        self.link = link
        #: Which zygote forked it (ForkServer.serves tells whether that one still runs).
        self.generation = generation
        #: Exit status like the old launcher's (128 + signal, or the kernel's exit code); None while unknown.
        self.returncode: int | None = None
        #: True once the supervisor is gone (the kernel and everything it started with it).
        self.ended = False

    def hello(self, timeout: float = HELLO_TIMEOUT_S) -> int:
        """Wait for the supervisor's greeting; return its pid on this host (from the socket credentials)."""
        self.link.settimeout(timeout)
        try:
            data, ancillary, _, _ = self.link.recvmsg(64, socket.CMSG_SPACE(12))
        except (OSError, TimeoutError) as error:
            raise ForkFailed(f"no answer from the fork server: {error!r}") from error
        if data != b"hello":
            self._read(data)
            raise ForkFailed("the fork server ended before the kernel started")
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                return struct.unpack("iII", payload[:12])[0]
        raise ForkFailed("the fork server's greeting carried no credentials")

    def go(self, connection: dict) -> None:
        """Let the supervisor build the sandbox and start the kernel on this connection (after its cgroup is set)."""
        # The key travels on the grading's own link, never through the zygote (later forks copy its memory).
        self.link.send(b"go " + json.dumps(connection).encode())

    def _read(self, data: bytes) -> None:
        """Take note of one message from the supervisor (b'' means it is gone)."""
        if not data:
            self.ended = True
        elif data.startswith(b"exit "):
            self.returncode = int(data.split()[1])
            self.ended = True

    def poll(self) -> bool:
        """Read what the supervisor said so far without waiting; return True while the kernel lives."""
        self.link.setblocking(False)
        while not self.ended:
            try:
                data = self.link.recv(64)
            except BlockingIOError:
                break
            except OSError:
                data = b""
            self._read(data)
        return not self.ended

    def kill(self, timeout: float = 5.0) -> None:
        """Kill the kernel's whole sandbox and wait until its processes are gone (blocking)."""
        try:
            self.link.send(b"kill")
        except OSError:
            pass
        deadline = time.monotonic() + timeout
        self.link.settimeout(0.2)
        while time.monotonic() < deadline:
            try:
                data = self.link.recv(64)
            except TimeoutError:
                continue
            except OSError:
                data = b""
            if not data:
                break
            self._read(data)
        self.ended = True

    def close(self) -> None:
        """Close the link (the supervisor then kills the kernel, if it still runs)."""
        self.link.close()


class ForkServer:
    """A pool's zygote: started on first use and again whenever it has died; thread-safe."""

    def __init__(self, run_dir: str, limits: Limits):
        self.run_dir, self.limits = run_dir, limits
        #: The seed the zygote was started with: only kernels with this PYTHONHASHSEED come from it.
        self.hash_seed = limits.hash_seed
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._control: socket.socket | None = None
        self._closed = False
        #: Counts the zygotes started: a kernel of an earlier one died with it.
        self.generation = 0

    def serves(self, kernel: ForkedKernel) -> bool:
        """Does the zygote that forked this kernel still run (its kernels die with it)?"""
        return kernel.generation == self.generation and not self._dead()

    def _start(self) -> None:
        """Start the zygote in its own sandbox (it imports ipykernel while the first request waits)."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        seccomp_fd = seccomp.program_fd()
        python = f"{sandbox.python_paths()[0]}/bin/python"
        config = {"control_fd": theirs.fileno(), "seccomp_fd": seccomp_fd, "python": python,
                  "inside": sandbox.INSIDE_MOUNT, "run_dir": self.run_dir}
        command = sandbox.zygote_command(self.run_dir, self.limits) + [
            python, "-P", f"{sandbox.INSIDE_MOUNT}/zygote.py", json.dumps(config)]
        try:
            self._process = subprocess.Popen(
                command, pass_fds=(theirs.fileno(), seccomp_fd), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, env=sandbox.kernel_env(hash_seed=self.hash_seed),
                stderr=None if os.environ.get("TIC_KERNEL_DEBUG") else subprocess.DEVNULL)
        finally:
            theirs.close()
            os.close(seccomp_fd)
        self._control = ours
        self.generation += 1
        log.info("fork server (zygote) started: pid %s", self._process.pid)

    def _dead(self) -> bool:
        """Has the zygote ended (or never started)?"""
        return self._process is None or self._process.poll() is not None

    def _restart(self) -> None:
        """Replace a dead zygote, saying so in the log."""
        if self._process is not None:
            log.warning("fork server (zygote) pid %s ended with status %s; starting a new one",
                        self._process.pid, self._process.poll())
            self._stop()
        self._start()

    def fork(self, request: dict, harness_fds: tuple[int, int]) -> ForkedKernel:
        """Ask the zygote for one kernel; the request says its uids, socket directory, connection and limits."""
        with self._lock:
            if self._closed:
                raise ForkFailed("the fork server is closed")
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            ours.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
            data = json.dumps(request).encode()
            try:
                for attempt in (1, 2):
                    if self._dead():
                        self._restart()
                    try:
                        socket.send_fds(self._control, [data], [theirs.fileno(), *harness_fds])
                        break
                    except OSError:
                        if attempt == 2:
                            ours.close()
                            raise
                        self._process.kill()  # its socket is broken: replace it
                        self._process.wait()
            finally:
                theirs.close()
        return ForkedKernel(ours, self.generation)

    def _stop(self) -> None:
        """Close the control socket and make sure the zygote (and with it its sandbox) is gone."""
        if self._control is not None:
            self._control.close()
            self._control = None
        if self._process is not None:
            try:
                self._process.wait(timeout=2)  # it exits by itself once the control socket closes
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
            self._process = None

    def pid(self) -> int | None:
        """The pid of the zygote's sandbox (bwrap), for tests and the benchmark."""
        return None if self._process is None else self._process.pid

    def close(self) -> None:
        """Stop the zygote."""
        with self._lock:
            self._closed = True
            self._stop()
