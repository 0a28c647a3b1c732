"""The orchestrator's end of the pipes to the test harness (see inside/harness.py for the other end).

Test cells never run in the trainee's kernel: the kernel module sends each one to the harness, relays
the harness's questions to the trainee's agent, and reads the verdict from the harness.
"""

from __future__ import annotations

import asyncio
import json
import os
import struct

#: The largest message either side may send (a test's values, a cell's output).
MAX_MESSAGE = 64 * 1024 * 1024


#: Lines between these markers in a test cell run in the trainee's process (fixtures), not in the harness.
SETUP_MARKERS = ("### BEGIN SETUP", "### END SETUP")


def test_segments(source: str) -> list[tuple[str, str]]:
    """Split a test cell into ("harness" | "setup", text) parts, in order.

    Harness parts keep the cell's line numbers (other lines are blanked, marker comments kept) so
    tracebacks point at the right line and the harness still sees where hidden tests are.
    """
    lines = source.splitlines()
    kinds = []
    inside = False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith(SETUP_MARKERS[0]):
            inside = True
            kinds.append("marker")
        elif stripped.startswith(SETUP_MARKERS[1]):
            inside = False
            kinds.append("marker")
        else:
            kinds.append("setup" if inside else "harness")
    segments: list[tuple[str, list[int]]] = []
    for number, kind in enumerate(kinds):
        if kind == "marker":
            continue
        if not segments or segments[-1][0] != kind:
            segments.append((kind, []))
        segments[-1][1].append(number)
    result = []
    for kind, numbers in segments:
        if kind == "setup":
            result.append(("setup", "\n".join(lines[n] for n in numbers)))
        else:
            keep = set(numbers)
            text = "\n".join(line if n in keep or line.strip().startswith("###") else "" for n, line in enumerate(lines))
            if any(lines[n].strip() and not lines[n].strip().startswith("#") for n in numbers):
                result.append(("harness", text))
    return result or [("harness", source)]


class HarnessGone(RuntimeError):
    """The harness process ended or broke the protocol."""


class HarnessLink:
    """Two pipes to the harness: created before the sandbox starts, connected after."""

    def __init__(self):
        self._to_harness = os.pipe()    # (harness reads, we write)
        self._from_harness = os.pipe()  # (we read, harness writes)
        #: Descriptors this process still has to close itself (before connect: all four).
        self._open = {*self._to_harness, *self._from_harness}
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._read_transport = None

    def child_fds(self) -> tuple[int, int]:
        """The harness's ends: (read, write); passed into the sandbox."""
        return self._to_harness[0], self._from_harness[1]

    async def connect(self) -> None:
        """Close the harness's ends here and wrap ours in asyncio streams; wait for its greeting."""
        loop = asyncio.get_running_loop()
        for fd in self.child_fds():
            os.close(fd)
            self._open.discard(fd)
        self._reader = asyncio.StreamReader(limit=MAX_MESSAGE)
        self._open.discard(self._from_harness[0])
        self._read_transport, _ = await loop.connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(self._reader), os.fdopen(self._from_harness[0], "rb", buffering=0))
        self._open.discard(self._to_harness[1])
        transport, protocol = await loop.connect_write_pipe(asyncio.streams.FlowControlMixin,
                                                            os.fdopen(self._to_harness[1], "wb", buffering=0))
        self._writer = asyncio.StreamWriter(transport, protocol, None, loop)

    async def send(self, message: dict) -> None:
        """Send one message."""
        data = json.dumps(message).encode()
        try:
            self._writer.write(struct.pack(">I", len(data)) + data)
            await self._writer.drain()
        except (ConnectionError, RuntimeError) as error:
            raise HarnessGone(f"harness closed its pipe: {error!r}") from error

    async def receive(self) -> dict:
        """Read one message (raises HarnessGone when the harness has ended)."""
        try:
            (size,) = struct.unpack(">I", await self._reader.readexactly(4))
            if size > MAX_MESSAGE:
                raise HarnessGone("message from the harness is too large")
            message = json.loads(await self._reader.readexactly(size))
        except (asyncio.IncompleteReadError, ConnectionError, ValueError) as error:
            raise HarnessGone(f"harness ended: {error!r}") from error
        if not isinstance(message, dict):
            raise HarnessGone("harness broke the protocol")
        return message

    def close(self) -> None:
        """Close our ends (the harness then ends too, if it still runs)."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        if self._read_transport is not None:
            self._read_transport.close()
            self._read_transport = None
        for fd in self._open:
            try:
                os.close(fd)
            except OSError:
                pass
        self._open = set()
