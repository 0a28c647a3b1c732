"""Private PostgreSQL and Redis servers on loopback that a drill may stop and start at will."""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def only_in_postgres_pass() -> None:
    """Slow drills run once in CI: in the PostgreSQL pass (TIC_TEST_DATABASE_URL set)."""
    if not os.environ.get("TIC_TEST_DATABASE_URL"):
        pytest.skip("slow drill: runs in the PostgreSQL pass only (TIC_TEST_DATABASE_URL)")


def _postgres_bin() -> str | None:
    """The directory holding initdb and pg_ctl, if PostgreSQL is installed."""
    found = shutil.which("initdb")
    if found:
        return os.path.dirname(found)
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(versions[-1]) if versions else None


class PrivatePostgres:
    """A throw-away PostgreSQL cluster (as the postgres user when we are root)."""

    def __init__(self):
        self.bin = _postgres_bin()
        if self.bin is None:
            pytest.fail("PostgreSQL binaries (initdb, pg_ctl) not found")
        self.dir = tempfile.mkdtemp(prefix="tic-drill-pg-")
        os.chmod(self.dir, 0o755)  # the postgres user must reach the data directory
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/drill"
        os.makedirs(self.data)
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
        self._run("initdb", "-D", self.data, "-A", "trust", "-U", "postgres")
        self.start()
        subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-qc",
                        "CREATE DATABASE drill"], check=True, capture_output=True)

    def _run(self, tool: str, *args: str) -> None:
        """Run a PostgreSQL tool as the cluster's owner."""
        command = [os.path.join(self.bin, tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        # Socket and log inside the data directory: the only place the postgres user may write.
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", self.data, "-l", os.path.join(self.data, "server.log"), "-w", "-o", options, "start")

    def stop(self) -> None:
        """Stop the server at once, dropping every connection (as a crash or a restart does)."""
        self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")

    def remove(self) -> None:
        """Stop the server (if running) and delete the cluster."""
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivateRedis:
    """A redis-server without persistence: a restart loses every queued message."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            pytest.fail("redis-server is not installed")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        """Start the server and wait until it answers."""
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        """Kill the server: everything queued in it is gone."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
