"""The one place that builds the command a sandboxed kernel runs under."""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from . import seccomp
from .limits import MIB, Limits

log = logging.getLogger(__name__)

MODES = ("bwrap", "none")

#: Host directories the sandbox sees read-only (when present); the project itself is not one of them.
SYSTEM_DIRS = ("/usr", "/etc/alternatives")
SYSTEM_FILES = ("/etc/ld.so.cache", "/etc/localtime")
#: Usrmerge symlinks; on systems without them the real directories are bound instead.
SYSTEM_LINKS = ("/bin", "/sbin", "/lib", "/lib32", "/lib64")

#: Each process gets its own block of uids, so parallel pools (e.g. pytest-xdist) never share one.
UID_BASE = 200_000
UIDS_PER_PROCESS = 64
#: Project gradings (a kernel and a harness each) take their uids from a block of their own.
PROJECT_UID_BASE = UID_BASE + 30_000 * UIDS_PER_PROCESS


class SandboxUnavailable(RuntimeError):
    """Trainee code cannot be run safely here; the message says what to do."""


#: Where the sandbox sees the code that runs inside it (launcher, harness, agent, codec).
INSIDE_DIR = str(Path(__file__).with_name("inside"))
INSIDE_MOUNT = "/run/tic/inside"


@dataclass(frozen=True)
class SandboxPlan:
    """Everything one sandbox needs: the kernel's and harness's uids, sockets, pipes and seccomp fd."""

    uid: int | None
    socket_dir: str
    connection_fd: int | None
    harness_uid: int | None = None
    #: The harness's ends of its two pipes (it reads the first, writes the second).
    harness_fds: tuple[int, int] | None = None
    #: A readable fd holding the BPF program (seccomp.program_fd()); bwrap mode refuses to run without it.
    seccomp_fd: int | None = None
    #: The read end of the owner's lifeline pipe: when it closes (owner gone), the launcher kills the sandbox.
    lifeline_fd: int | None = None
    #: A project grading's commit files (host folder), shown read-only at PROJECT_TREE_MOUNT.
    tree_dir: str | None = None


def check_mode(mode: str) -> None:
    """Raise SandboxUnavailable when this sandbox mode cannot run here."""
    if mode not in MODES:
        raise SandboxUnavailable(f"unknown sandbox mode {mode!r}; use one of {', '.join(MODES)}")
    if mode == "none":
        return
    missing = [tool for tool in ("bwrap", "prlimit") + (("setpriv",) if os.geteuid() == 0 else ()) if not shutil.which(tool)]
    if missing:
        raise SandboxUnavailable(
            f"sandbox tools missing: {', '.join(missing)} (install Debian packages bubblewrap and util-linux), "
            "or set TIC_SANDBOX=none for development only"
        )
    try:
        seccomp.program()
    except seccomp.SeccompUnavailable as error:
        raise SandboxUnavailable(f"{error}, or set TIC_SANDBOX=none for development only") from error


def python_paths() -> tuple[str, str]:
    """Return (venv prefix, real Python installation prefix) that the kernel needs to see."""
    return sys.prefix, sys.base_prefix


def _ancestors(path: str) -> list[str]:
    """Return the parent directories of a path, outermost first (without '/')."""
    # "/" and the /tmp tmpfs exist already, with their own modes.
    parents = [str(parent) for parent in Path(path).parents if str(parent) not in ("/", "/tmp")]
    return list(reversed(parents))


def _dirs_0755(paths) -> list[str]:
    """Return bwrap arguments creating each path's parents with mode 0755 (so other uids can traverse them)."""
    args, made = [], set()
    for path in paths:
        for parent in _ancestors(path):
            if parent not in made:
                made.add(parent)
                args += ["--perms", "0755", "--dir", parent]
    return args


def _system_binds() -> list[str]:
    """Return read-only binds of the system directories and usrmerge links."""
    args = []
    for path in SYSTEM_DIRS:
        if os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for path in SYSTEM_FILES:
        args += ["--ro-bind-try", path, path]
    for path in SYSTEM_LINKS:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    return args


def _prlimit(limits: Limits) -> list[str]:
    """Return the prlimit command prefix for the kernel's rlimits."""
    return [
        "prlimit",
        f"--cpu={limits.cpu_s}:{limits.cpu_s + 1}",  # SIGXCPU first, SIGKILL a second later
        f"--as={limits.memory_mb * MIB}",
        f"--nproc={limits.processes}",
        f"--fsize={limits.file_mb * MIB}",
        f"--nofile={limits.open_files}",
        "--",
    ]


def rlimits(limits: Limits) -> dict[str, tuple[int, int]]:
    """Return the kernel's rlimits as (soft, hard) by prlimit name: the fork server sets the same as _prlimit."""
    return {
        "cpu": (limits.cpu_s, limits.cpu_s + 1),
        "as": (limits.memory_mb * MIB, limits.memory_mb * MIB),
        "nproc": (limits.processes, limits.processes),
        "fsize": (limits.file_mb * MIB, limits.file_mb * MIB),
        "nofile": (limits.open_files, limits.open_files),
    }


def kernel_env(home: str = "/tmp", hash_seed: int = 0) -> dict[str, str]:
    """Return the (whole) environment of a kernel: nothing inherited from the web process."""
    venv, _ = python_paths()
    return {
        "PATH": f"{venv}/bin:/usr/bin:/bin",
        "HOME": home,
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
        # A fixed seed: the same answer always gets the same score (set order of strings included).
        "PYTHONHASHSEED": str(hash_seed),
        "MPLBACKEND": "Agg",
        # One thread per numerical library keeps the process count under the nproc limit.
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "JUPYTER_PLATFORM_DIRS": "1",
    }


def inside_dir(mode: str) -> str:
    """Return the directory holding the in-sandbox code, as the sandboxed processes see it."""
    return INSIDE_MOUNT if mode == "bwrap" else INSIDE_DIR


def kernel_command(mode: str, plan: SandboxPlan, connection_file: str, limits: Limits) -> list[str]:
    """Return the command that starts the sandbox: a launcher running the kernel and the test harness."""
    venv, _ = python_paths()
    python = f"{venv}/bin/python"
    inside = inside_dir(mode)
    connection = "/run/tic/kernel.json" if mode == "bwrap" else connection_file
    kernel = [python, "-m", "ipykernel_launcher", "--HistoryManager.hist_file=:memory:", "-f", connection]
    # -P -s: the harness never imports from its working directory or a user site; unlike -I it keeps
    # the (cleared, fixed) environment, so PYTHONHASHSEED makes its set order as repeatable as the kernel's.
    harness = [python, "-P", "-s", f"{inside}/harness.py", *map(str, plan.harness_fds or ())]
    config = {
        "kernel": _as_user(mode, plan.uid, plan.uid) + _prlimit(limits) + kernel,
        "harness": _as_user(mode, plan.harness_uid, plan.uid) + _prlimit(limits) + harness,
        "harness_fds": list(plan.harness_fds or ()),
        "lifeline_fd": plan.lifeline_fd,
    }
    launcher = [python, "-I", f"{inside}/launcher.py", json.dumps(config)]
    if mode == "none":
        return launcher
    return bwrap_command(plan, limits) + launcher


def _as_user(mode: str, uid: int | None, gid: int | None) -> list[str]:
    """Return the setpriv prefix that runs a sandboxed process as its own uid (root hosts only).

    The kernel and the harness share one group so files either writes in /tmp stay usable by the
    other; ptrace and signals need the same uid, so neither can reach into the other.
    """
    if mode != "bwrap" or uid is None or os.geteuid() != 0:
        return []
    return ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]


def bwrap_command(plan: SandboxPlan, limits: Limits) -> list[str]:
    """Return the bwrap command, ending where the program to run (the launcher) goes."""
    middle = [*_dirs_0755([plan.socket_dir]), "--bind", plan.socket_dir, plan.socket_dir]
    middle += ["--perms", "0755", "--dir", "/run/tic"]
    middle += ["--perms", "0444", "--file", str(plan.connection_fd), "/run/tic/kernel.json"]
    middle += ["--ro-bind", INSIDE_DIR, INSIDE_MOUNT]
    if plan.tree_dir is not None:
        middle += ["--ro-bind", plan.tree_dir, PROJECT_TREE_MOUNT]
    return _bwrap(limits, plan.seccomp_fd, middle)


def zygote_command(run_dir: str, limits: Limits) -> list[str]:
    """Return the bwrap command of a pool's fork server (inside/zygote.py), ending where its command goes."""
    # The same system view and namespaces as a kernel's sandbox, plus the pool's run directory (the
    # kernels' socket directories) and no seccomp filter yet: the zygote is root in here and needs mount
    # and unshare to give each grading its own namespaces, uid and filter before any trainee code runs.
    middle = [*_dirs_0755([run_dir]), "--bind", run_dir, run_dir]
    middle += ["--perms", "0755", "--dir", "/run/tic/grading", "--ro-bind", INSIDE_DIR, INSIDE_MOUNT]
    # Each grading mounts its own /run/tic/grading; the connection file keeps the path kernels always had.
    middle += ["--symlink", "grading/kernel.json", "/run/tic/kernel.json"]
    return _bwrap(limits, None, middle, filtered=False)


def _bwrap(limits: Limits, seccomp_fd: int | None, middle: list[str], filtered: bool = True) -> list[str]:
    """Return a bwrap command around the binds in ``middle`` (system, Python, tmpfs, namespaces, seccomp)."""
    venv, python_home = python_paths()
    root = os.geteuid() == 0
    args = ["bwrap", *_system_binds()]
    args += ["--proc", "/proc", "--dev", "/dev"]
    args += ["--perms", "1777", "--size", str(limits.tmpfs_mb * MIB), "--tmpfs", "/tmp"]
    args += ["--perms", "1777", "--size", str(16 * MIB), "--tmpfs", "/dev/shm"]
    # Everything below comes after the /tmp tmpfs, or the tmpfs would hide it
    # (a checkout, and so its virtualenv, may well live under /tmp).
    args += _dirs_0755([python_home, venv])
    args += ["--ro-bind", python_home, python_home]
    if venv != python_home:
        args += ["--ro-bind", venv, venv]
    args += middle
    args += ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--hostname", "sandbox"]
    args += ["--die-with-parent", "--new-session", "--clearenv", "--chdir", "/tmp"]
    if filtered and seccomp_fd is None:
        raise SandboxUnavailable("no seccomp filter: give the plan seccomp_fd=seccomp.program_fd() (and pass_fds)")
    if filtered:
        # Loaded last, so it binds setpriv, prlimit and everything the sandboxed program starts.
        args += ["--seccomp", str(seccomp_fd)]
    for key, value in kernel_env(hash_seed=limits.hash_seed).items():
        args += ["--setenv", key, value]
    if not root:
        # Without root we cannot switch uid; a user namespace still drops every capability, and the
        # harness makes itself non-dumpable so the kernel (same uid) cannot read its memory.
        args += ["--unshare-user", "--cap-drop", "ALL"]
    return args + ["--"]


#: Where a project grading's kernel sees the commit's files (read-only; its working folder).
PROJECT_TREE_MOUNT = "/tmp/work"


class UidLeases:
    """Hands out this process's sandbox uids, one per live kernel, so rlimits per uid stay separate."""

    def __init__(self, pid: int | None = None, count: int = UIDS_PER_PROCESS, base: int = UID_BASE):
        pid = os.getpid() if pid is None else pid
        first = base + (pid % 30_000) * UIDS_PER_PROCESS
        self._free = list(range(first, first + min(count, UIDS_PER_PROCESS)))
        self._lock = threading.Lock()

    def take(self) -> int:
        """Return a uid no other live kernel of this process uses."""
        with self._lock:
            if not self._free:
                raise SandboxUnavailable("too many live kernels: no free sandbox uid")
            return self._free.pop(0)

    def give_back(self, uid: int) -> None:
        """Return a uid once its kernel's processes are gone."""
        with self._lock:
            self._free.append(uid)


def prepare_socket_dir(path: str, uid: int | None) -> None:
    """Create the kernel's socket directory, writable by the kernel's uid only."""
    os.makedirs(path, mode=0o700)
    if uid is not None and os.geteuid() == 0:
        os.chown(path, uid, uid)


def seal_socket_dir(path: str, uid: int | None) -> None:
    """Once the kernel has bound its sockets, take the directory back so trainee code cannot fill the host's disk."""
    if uid is not None and os.geteuid() == 0:
        os.chown(path, 0, 0)
        os.chmod(path, 0o755)


def warn_unsandboxed() -> None:
    """Log the warning every unsandboxed run must carry."""
    log.warning("TIC_SANDBOX=none: trainee code runs WITHOUT a sandbox (development only)")
