"""Just enough of git's pkt-line format to read a push's commands and to refuse a push in git's own words.

A push request (``POST .../git-receive-pack``) starts with one pkt-line per ref to update
(``<old sha> <new sha> <ref>``, the first one followed by NUL and the client's capabilities), then a
flush packet ``0000``, then the pack. Reading the commands lets the server refuse an oversized push
before git sees the pack, with a reply the client prints as ``remote: ...`` and ``[remote rejected]``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

FLUSH = b"0000"
#: Largest pkt-line payload with side-band-64k (65520 minus the length and the band byte).
SIDEBAND_64K_DATA = 65515
#: ... and with the old side-band (1000 minus the same).
SIDEBAND_DATA = 995
#: More commands than any sane push carries; the header is refused beyond it.
MAX_COMMANDS = 1000


class ProtocolError(ValueError):
    """The request does not follow git's pkt-line format."""


@dataclass
class PushCommands:
    """The ref updates a push asks for, and the exact bytes read to learn them."""

    raw: bytes = b""
    refs: list[str] = field(default_factory=list)
    capabilities: set[str] = field(default_factory=set)


def pkt(data: bytes) -> bytes:
    """One pkt-line: four hex digits of length (including themselves), then the data."""
    return b"%04x" % (len(data) + 4) + data


def _read_exact(stream, size: int) -> bytes:
    """Read exactly ``size`` bytes from a stream with ``read(n)``; ProtocolError if it ends first."""
    chunks, missing = [], size
    while missing:
        data = stream.read(missing)
        if not data:
            raise ProtocolError("request ended inside a pkt-line")
        chunks.append(data)
        missing -= len(data)
    return b"".join(chunks)


def read_push_commands(stream) -> PushCommands:
    """Read the command list of a push (up to and including its flush packet) from ``stream``."""
    commands = PushCommands()
    raw = []
    while True:
        head = stream.read(4)
        if not head:  # an empty body: git's "probe" request before a large push sends only 0000
            break
        head += _read_exact(stream, 4 - len(head)) if len(head) < 4 else b""
        raw.append(head)
        try:
            length = int(head, 16)
        except ValueError:
            raise ProtocolError("bad pkt-line length") from None
        if length == 0:
            break
        if length < 4 or length > 65520:
            raise ProtocolError("bad pkt-line length")
        line = _read_exact(stream, length - 4)
        raw.append(line)
        if line.startswith(b"shallow "):
            continue
        command, _, capabilities = line.rstrip(b"\n").partition(b"\0")
        parts = command.split(b" ")
        if len(parts) != 3:
            raise ProtocolError("bad push command")
        commands.refs.append(parts[2].decode("utf-8", "replace"))
        if capabilities:
            commands.capabilities.update(capabilities.decode("ascii", "replace").split())
        if len(commands.refs) > MAX_COMMANDS:
            raise ProtocolError("too many push commands")
    commands.raw = b"".join(raw)
    return commands


def refusal(commands: PushCommands, messages: list[str], reason: str) -> bytes:
    """A receive-pack reply refusing every ref of the push: ``messages`` as ``remote:`` lines, ``reason`` per ref."""
    report = b""
    if commands.capabilities & {"report-status", "report-status-v2"}:
        report = pkt(f"unpack {reason}\n".encode()) + b"".join(
            pkt(f"ng {ref} {reason}\n".encode()) for ref in commands.refs
        ) + FLUSH
    if not commands.capabilities & {"side-band-64k", "side-band"}:
        return report
    size = SIDEBAND_64K_DATA if "side-band-64k" in commands.capabilities else SIDEBAND_DATA
    out = [pkt(b"\x02" + line.encode("utf-8")[: size - 1] + b"\n") for line in messages]
    out += [pkt(b"\x01" + report[start:start + size]) for start in range(0, len(report), size)]
    out.append(FLUSH)
    return b"".join(out)
