"""A cgroup per sandbox: one total bound on memory, tasks and CPU for a whole process tree.

cgroup v2 is used when this process's cgroup offers the memory, pids and cpu controllers; else the
cgroup v1 controllers of the same names (hybrid hosts); else nothing, and only the rlimits apply.
"""

from __future__ import annotations

import atexit
import errno
import logging
import os
import signal
import threading
import time
from dataclasses import dataclass

log = logging.getLogger(__name__)

CONTROLLERS = ("memory", "pids", "cpu")
#: The cpu.max / cfs period, in microseconds.
CPU_PERIOD_US = 100_000


@dataclass(frozen=True)
class Host:
    """Where this process makes its sandbox cgroups: kind 'cgroup2', 'cgroup1' or None (rlimits only)."""

    kind: str | None
    #: controller -> the directory this process's leaves go under (one entry, key "", for cgroup2).
    parents: dict
    #: Why no cgroup can be used (when kind is None).
    reason: str = ""


def _write(path: str, value) -> None:
    """Write one value to a cgroup control file."""
    with open(path, "w") as file:
        file.write(f"{value}\n")


def _read(path: str) -> str:
    """Read a cgroup control file."""
    with open(path) as file:
        return file.read()


def _mounts() -> list[tuple[str, str, set]]:
    """Return (mount point, filesystem type, super options) of this process's mounts."""
    mounts = []
    for line in _read("/proc/self/mountinfo").splitlines():
        fields, _, tail = line.partition(" - ")
        fstype, _, options = tail.split(" ")[:3]
        mounts.append((fields.split(" ")[4], fstype, set(options.split(","))))
    return mounts


def _own_paths() -> dict:
    """Return this process's cgroup path per v1 controller, and under key '' its v2 path."""
    paths = {}
    for line in _read("/proc/self/cgroup").splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else [""]:
            paths[controller] = path
    return paths


def _make_parent(base: str) -> str:
    """Create this process's parent directory (tic-PID) under base (a crashed process's may still be there)."""
    parent = os.path.join(base, f"tic-{os.getpid()}")
    os.makedirs(parent, exist_ok=True)
    return parent


def _remove_tree(path: str) -> None:
    """Remove an empty cgroup directory and its empty children (best effort)."""
    try:
        for name in os.listdir(path):
            if os.path.isdir(os.path.join(path, name)):
                _remove_tree(os.path.join(path, name))
        os.rmdir(path)
    except OSError:
        pass


def _detect_v2(mounts, own) -> Host:
    """Return a cgroup2 Host, or raise OSError saying why it cannot be used."""
    points = [point for point, fstype, _ in mounts if fstype == "cgroup2"]
    if not points or "" not in own:
        raise OSError("no cgroup2 mount")
    base = points[0] + own[""].rstrip("/")
    offered = _read(os.path.join(base, "cgroup.controllers")).split()
    missing = [name for name in CONTROLLERS if name not in offered]
    if missing:
        raise OSError(f"cgroup2 lacks the {', '.join(missing)} controller(s)")
    enabled = _read(os.path.join(base, "cgroup.subtree_control")).split()
    if any(name not in enabled for name in CONTROLLERS):
        # Fails (EBUSY) when our own cgroup has processes and is not the root: then we cannot delegate.
        _write(os.path.join(base, "cgroup.subtree_control"), " ".join(f"+{name}" for name in CONTROLLERS))
    parent = _make_parent(base)
    _write(os.path.join(parent, "cgroup.subtree_control"), " ".join(f"+{name}" for name in CONTROLLERS))
    return Host("cgroup2", {"": parent})


def _detect_v1(mounts, own) -> Host:
    """Return a cgroup1 Host, or raise OSError saying why it cannot be used."""
    parents = {}
    for controller in CONTROLLERS:
        points = [point for point, fstype, options in mounts if fstype == "cgroup" and controller in options]
        if not points or controller not in own:
            raise OSError(f"no cgroup v1 {controller} controller")
        parents[controller] = _make_parent(points[0] + own[controller].rstrip("/"))
    return Host("cgroup1", parents)


def detect() -> Host:
    """Find out which cgroups this process can create for its sandboxes (creating its parent dirs)."""
    if os.geteuid() != 0:
        return Host(None, {}, "not running as root")
    try:
        mounts, own = _mounts(), _own_paths()
    except OSError as error:
        return Host(None, {}, f"cannot read /proc: {error}")
    reasons = []
    for attempt in (_detect_v2, _detect_v1):
        try:
            return attempt(mounts, own)
        except (OSError, ValueError) as error:
            reasons.append(str(error))
    return Host(None, {}, "; ".join(reasons))


_lock = threading.Lock()
_host: Host | None = None


def host() -> Host:
    """Return this process's cgroup Host (detected once)."""
    global _host
    with _lock:
        if _host is None:
            _host = detect()
            if _host.kind:
                atexit.register(_remove_parents, _host)
        return _host


def _remove_parents(found: Host) -> None:
    """Remove this process's (empty) parent directories at exit."""
    for parent in found.parents.values():
        _remove_tree(parent)


def _children() -> dict:
    """Return parent pid -> child pids of every process on the host."""
    children = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            stat = _read(f"/proc/{name}/stat")
        except OSError:
            continue  # it ended meanwhile
        ppid = int(stat.rpartition(")")[2].split()[1])
        children.setdefault(ppid, []).append(int(name))
    return children


def _tree(pid: int) -> list[int]:
    """Return pid and all its descendants."""
    children, found, todo = _children(), [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


class Cgroup:
    """One leaf cgroup holding a sandbox's process tree, with its total memory, task and CPU bounds."""

    def __init__(self, found: Host, name: str, memory_mb: int, tasks: int, cpus: float):
        self.kind = found.kind
        self.dirs = {controller: os.path.join(parent, name) for controller, parent in found.parents.items()}
        try:
            for path in self.dirs.values():
                _remove_tree(path)  # an empty leaf left by a crashed process that had our pid
                os.mkdir(path)
            self._set_limits(memory_mb * 1024 * 1024, tasks, int(cpus * CPU_PERIOD_US))
        except OSError:
            self.destroy()
            raise

    def _file(self, controller: str, name: str) -> str:
        """Return the path of one control file of this leaf."""
        return os.path.join(self.dirs["" if self.kind == "cgroup2" else controller], name)

    def _set_limits(self, memory: int, tasks: int, quota_us: int) -> None:
        """Write the bounds into the leaf's control files."""
        if self.kind == "cgroup2":
            _write(self._file("memory", "memory.max"), memory)
            if os.path.exists(self._file("memory", "memory.swap.max")):
                _write(self._file("memory", "memory.swap.max"), 0)
            _write(self._file("pids", "pids.max"), tasks)
            _write(self._file("cpu", "cpu.max"), f"{quota_us} {CPU_PERIOD_US}")
            return
        _write(self._file("memory", "memory.limit_in_bytes"), memory)
        if os.path.exists(self._file("memory", "memory.memsw.limit_in_bytes")):
            _write(self._file("memory", "memory.memsw.limit_in_bytes"), memory)  # no escape into swap
        _write(self._file("pids", "pids.max"), tasks)
        _write(self._file("cpu", "cpu.cfs_period_us"), CPU_PERIOD_US)
        _write(self._file("cpu", "cpu.cfs_quota_us"), quota_us)

    def pids(self) -> list[int]:
        """Return the processes in the leaf."""
        pids = set()
        for path in self.dirs.values():
            try:
                pids.update(int(pid) for pid in _read(os.path.join(path, "cgroup.procs")).split())
            except OSError:
                pass
        return sorted(pids)

    def attach(self, pid: int) -> None:
        """Move one process that has no children yet into the leaf (those it forks later inherit it)."""
        for path in self.dirs.values():
            _write(os.path.join(path, "cgroup.procs"), pid)

    def attach_tree(self, pid: int) -> None:
        """Move a process and all its descendants into the leaf (children forked later inherit it)."""
        moved: set[int] = set()
        while True:
            new = [member for member in _tree(pid) if member not in moved]
            if not new:
                return
            for member in new:
                for path in self.dirs.values():
                    try:
                        _write(os.path.join(path, "cgroup.procs"), member)
                    except ProcessLookupError:
                        pass  # it ended meanwhile
                    except OSError as error:
                        if error.errno != errno.ESRCH:
                            raise
                moved.add(member)

    def oom_kills(self) -> int:
        """Return how many processes the memory bound has killed so far."""
        try:
            if self.kind == "cgroup2":
                text = _read(self._file("memory", "memory.events"))
            else:
                text = _read(self._file("memory", "memory.oom_control"))
        except OSError:
            return 0
        for line in text.splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill":
                return int(value)
        return 0

    def destroy(self, timeout: float = 5.0) -> None:
        """Kill every process still in the leaf and remove it."""
        deadline = time.monotonic() + timeout
        while True:
            pids = self.pids()
            if not pids or time.monotonic() > deadline:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.02)
        for path in self.dirs.values():
            try:
                os.rmdir(path)
            except FileNotFoundError:
                pass
            except OSError as error:
                log.warning("could not remove cgroup %s: %s", path, error)


def for_sandbox(name: str, limits) -> Cgroup | None:
    """Return a new leaf carrying a Limits' total bounds (attach_tree(bwrap pid) next), or None without cgroups."""
    found = host()
    if found.kind is None:
        return None
    return Cgroup(found, f"{name}-{os.getpid()}", limits.total_memory_mb, limits.processes, limits.cpus)
