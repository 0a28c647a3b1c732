"""Running ``git http-backend`` as a CGI program, with the request and response bodies streamed.

The request body goes to git's stdin from a thread, a chunk at a time, gzip undone and every byte
counted against a limit; git's stdout comes back as the response, also a chunk at a time. Nothing
holds a whole pack in memory.
"""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import tempfile
import threading
import zlib
from pathlib import Path

CHUNK = 64 * 1024
#: The hook reads the file size limit from this variable (see services/repository_hooks/pre-receive).
FILE_LIMIT_VARIABLE = "TIC_GIT_MAX_FILE_BYTES"

log = logging.getLogger(__name__)


class BodyTooLarge(Exception):
    """The request body went past its limit."""


class BadBody(Exception):
    """The request body could not be read (broken gzip, client gone)."""


class RequestBody:
    """The request body as git should read it: gzip undone, counted against ``limit`` bytes."""

    def __init__(self, raw, gzipped: bool, limit: int):
        self.raw = raw
        self.limit = limit
        self.count = 0
        self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzipped else None
        self._buffer = b""
        self._ended = False

    def read(self, size: int = CHUNK) -> bytes:
        """Up to ``size`` bytes of the (inflated) body; b"" at its end. BodyTooLarge past the limit."""
        while not self._buffer and not self._ended:
            self._fill()
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def _fill(self) -> None:
        """Read the next piece from the client (inflating at most one chunk at a time: no gzip bombs)."""
        try:
            if self._inflater is not None and self._inflater.unconsumed_tail:
                self._buffer = self._inflater.decompress(self._inflater.unconsumed_tail, CHUNK)
            else:
                data = self.raw.read(CHUNK)
                if not data:
                    self._ended = True
                    self._buffer = self._inflater.flush() if self._inflater is not None else b""
                elif self._inflater is not None:
                    self._buffer = self._inflater.decompress(data, CHUNK)
                else:
                    self._buffer = data
        except zlib.error as exc:
            raise BadBody(f"broken gzip body: {exc}") from None
        self.count += len(self._buffer)
        if self.count > self.limit:
            raise BodyTooLarge()

    def drain(self, most: int) -> bool:
        """Read and drop what the client still sends, up to ``most`` bytes; True when it was all read.

        Answering before the client has sent its whole body would make it see a broken connection
        instead of the answer.
        """
        dropped = 0
        try:
            while dropped <= most:
                data = self.raw.read(CHUNK)
                if not data:
                    return True
                dropped += len(data)
        except Exception:  # noqa: BLE001 - the client went away; there is nobody left to answer
            return False
        return False


def backend_environment(repo: Path, path_tail: str, method: str, query: str, content_type: str,
                        remote_addr: str, git_protocol: str, writable: bool, push_limit: int,
                        file_limit: int) -> dict[str, str]:
    """The CGI environment for one request: only what git needs, none of the host's git configuration."""
    settings = {
        # http-backend accepts pushes only where this is true; read-only access never runs receive-pack.
        "http.receivepack": "true" if writable else "false",
        "http.uploadpack": "true",
        # Second guard behind the app's own count: git stops reading a pack past this size.
        "receive.maxInputSize": str(push_limit),
    }
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": tempfile.gettempdir(),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_TERMINAL_PROMPT": "0",
        "LC_ALL": "C",
        "GATEWAY_INTERFACE": "CGI/1.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REQUEST_METHOD": method,
        "QUERY_STRING": query,
        "CONTENT_TYPE": content_type,
        "REMOTE_ADDR": remote_addr,
        "GIT_PROJECT_ROOT": str(repo.parent),
        "PATH_INFO": f"/{repo.name}/{path_tail}",
        "GIT_HTTP_EXPORT_ALL": "1",
        FILE_LIMIT_VARIABLE: str(file_limit),
        "GIT_CONFIG_COUNT": str(len(settings)),
    }
    for number, (key, value) in enumerate(settings.items()):
        env[f"GIT_CONFIG_KEY_{number}"] = key
        env[f"GIT_CONFIG_VALUE_{number}"] = value
    if writable:
        env["REMOTE_USER"] = "tic"
    if git_protocol:
        env["HTTP_GIT_PROTOCOL"] = git_protocol
    return env


class BackendRun:
    """One run of ``git http-backend``: feed it the body, read its CGI headers, then stream its output."""

    def __init__(self, env: dict[str, str]):
        self._stderr = tempfile.TemporaryFile()
        # A session of its own, so stopping it stops receive-pack and everything git started too.
        self.process = subprocess.Popen(
            ["git", "http-backend"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, env=env,
            start_new_session=True,
        )
        self.too_large = False
        self.broken = False
        self._writer: threading.Thread | None = None

    def feed(self, body: RequestBody | None, prefix: bytes = b"") -> None:
        """Copy ``prefix`` and then the rest of ``body`` to git's stdin, in a thread."""
        self._writer = threading.Thread(target=self._write, args=(body, prefix), daemon=True)
        self._writer.start()

    def _write(self, body: RequestBody | None, prefix: bytes) -> None:
        """The writer thread: stops git when the body turns out too large or broken."""
        stdin = self.process.stdin
        try:
            if prefix:
                stdin.write(prefix)
            while body is not None:
                data = body.read(CHUNK)
                if not data:
                    break
                stdin.write(data)
        except BodyTooLarge:
            self.too_large = True
            self.stop()
        except BadBody:
            self.broken = True
            self.stop()
        except OSError:
            pass  # git stopped reading (it answered with an error); its answer says why
        except Exception:  # noqa: BLE001 - e.g. the client disconnected mid-body
            log.warning("reading a git request body failed", exc_info=True)
            self.broken = True
            self.stop()
        finally:
            try:
                stdin.close()
            except OSError:
                pass

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop git and every process it started (they share a process group)."""
        if self.process.returncode is not None:
            return  # already reaped: its process group id may belong to someone else by now
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            pass

    def headers(self) -> tuple[int, list[tuple[str, str]]]:
        """Read git's CGI header block: the HTTP status and the headers to send."""
        status, headers = 200, []
        while True:
            line = self.process.stdout.readline(8192)
            if not line or line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode("latin-1").rstrip("\r\n").partition(":")
            if name.lower() == "status":
                status = int(value.strip().split()[0])
            else:
                headers.append((name.strip(), value.strip()))
        return status, headers

    def stream(self):
        """Yield git's output a chunk at a time; stop git if the client goes away."""
        ended = False
        try:
            while True:
                data = self.process.stdout.read1(CHUNK)
                if not data:
                    break
                yield data
            ended = True
        finally:
            self.finish(stop=not ended)

    def finish(self, stop: bool = False) -> int:
        """Wait for git (or stop it) and the writer thread; log git's errors. Returns git's exit code."""
        if stop:
            self.stop(signal.SIGKILL)
        try:
            code = self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.stop(signal.SIGKILL)
            code = self.process.wait()
        if self._writer is not None:
            self._writer.join(timeout=5)
        self.process.stdout.close()
        self._stderr.seek(0)
        errors = self._stderr.read(8192).decode("utf-8", "replace").strip()
        self._stderr.close()
        if code != 0 and errors and not (stop or self.too_large or self.broken):
            log.warning("git http-backend exited with %s: %s", code, errors)
        return code

    def output_spooled(self):
        """Read the rest of git's output (a push's small report) into a spooled file, then finish."""
        spool = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)
        while True:
            data = self.process.stdout.read1(CHUNK)
            if not data:
                break
            spool.write(data)
        self.finish()
        spool.seek(0)
        return spool
