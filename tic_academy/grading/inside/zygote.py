"""The fork server ("zygote"): imports ipykernel once, then forks a fresh, separately sandboxed kernel per grading.

Run by a pool-wide sandbox (bubblewrap, see sandbox.zygote_command) as root, with one JSON argument::

    {"control_fd": fd, "seccomp_fd": fd, "python": path, "inside": dir, "run_dir": dir}

(run_dir holds the kernels' socket directories; it is also on every forked process's command line,
so the owner's processes can be found by it.)

The orchestrator sends one request per grading over the control socket (a SOCK_SEQPACKET socket):
a JSON message plus three descriptors, [link, harness read end, harness write end]. For each
request this process forks a *supervisor*, which

1. says "hello" on the link (the orchestrator learns its host pid from the socket credentials and puts
   it into the grading's cgroup) and waits for "go" with the kernel's connection info (so no key
   passes through this process, whose memory later forks copy);
2. unshares new mount, pid, ipc, uts and network namespaces, and mounts a fresh /tmp, /dev/shm and
   /run/tic (the kernel's connection file and socket directory) and hides every other grading's files;
3. forks the grading's *init* (pid 1 of the new pid namespace), which mounts /proc, starts a new
   session, loads the seccomp filter and drops the capability bounding set, then forks the test harness
   (exec'd, its own uid) and the kernel (its own uid, rlimits, working directory /tmp), which becomes an
   ipykernel on the connection file without starting a new Python;
4. reports "exit N" on the link when init ends (N as the old launcher: 128 + signal, or the kernel's
   exit status), and kills init as soon as the link says "kill" or closes (the owner went away).

When init (pid 1) ends, the kernel of the pid namespace kills everything else in it, so nothing a
grading started survives it. When the control socket closes (the pool closed or its process died),
this process exits, and with it the whole pool sandbox. Nothing here runs threads before a fork.
"""

import ctypes
import errno
import fcntl
import gc
import importlib
import importlib.util
import json
import os
import pathlib
import resource
import select
import signal
import socket
import struct
import sys
import traceback

#: Imported once here, so each kernel starts without paying for them (what ipykernel imports while starting).
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger", "IPython", "IPython.core.completerlib",
           "IPython.core.debugger", "IPython.core.oinspect", "IPython.extensions.storemagic", "IPython.utils.wildcard",
           "tornado.platform.asyncio", "faulthandler", "sqlite3", "pdb")

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 8, 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_SECCOMP, PR_SET_NO_NEW_PRIVS = 4, 24, 22, 38
SECCOMP_MODE_FILTER = 2
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP, IFF_RUNNING = 0x8913, 0x8914, 0x1, 0x40
RLIMITS = {"cpu": resource.RLIMIT_CPU, "as": resource.RLIMIT_AS, "nproc": resource.RLIMIT_NPROC,
           "fsize": resource.RLIMIT_FSIZE, "nofile": resource.RLIMIT_NOFILE}
#: Exit status of a supervisor or init that failed before the kernel ran.
SETUP_FAILED = 70

_libc = ctypes.CDLL(None, use_errno=True)


class _SockFprog(ctypes.Structure):
    """struct sock_fprog: a BPF program for prctl(PR_SET_SECCOMP)."""

    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]


def _check(result: int, what: str) -> None:
    """Raise OSError when a libc call failed."""
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"{what}: {os.strerror(code)}")


def _mount(source, target, fstype, flags, data=None) -> None:
    """mount(2)."""
    encode = (lambda text: text.encode() if text is not None else None)
    _check(_libc.mount(encode(source), encode(target), encode(fstype), ctypes.c_ulong(flags), encode(data)),
           f"mount {target}")


def _close_fds(keep) -> None:
    """Close every descriptor except 0, 1, 2 and those in keep."""
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd > 2 and fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def _exit_code(status: int) -> int:
    """Turn a wait status into the launcher's convention: the exit code, or 128 + the signal number."""
    code = os.waitstatus_to_exitcode(status)
    return 128 - code if code < 0 else code


def _loopback_up() -> None:
    """Bring up lo in the new network namespace (as bubblewrap does): nothing else is there."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH22x", b"lo", 0)
        flags = struct.unpack("16sH22x", fcntl.ioctl(sock, SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack("16sH22x", b"lo", flags | IFF_UP | IFF_RUNNING))


def _load_seccomp(program: bytes) -> None:
    """Bind this process and all it starts to the seccomp filter (no_new_privs first, as bubblewrap)."""
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    fprog = _SockFprog(len(program) // 8, program)
    _check(_libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0), "seccomp")


def _drop_bounding_set() -> None:
    """No process of the grading can ever regain a capability (as setpriv --bounding-set=-all)."""
    for capability in range(64):
        if _libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0 and ctypes.get_errno() == errno.EINVAL:
            break


def _become(uid: int, gid: int, rlimits: dict) -> None:
    """Switch to the grading's uid and group (as setpriv) and apply its rlimits (as prlimit)."""
    for name, (soft, hard) in rlimits.items():
        resource.setrlimit(RLIMITS[name], (soft, hard))
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    # Changing uid made the process non-dumpable (its /proc files root's); an exec, as before, would undo that.
    _check(_libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0), "dumpable")
    os.chdir("/tmp")


def _python_under_tmp() -> list[str]:
    """The Python installation folders (virtualenv, base) that live under /tmp, e.g. a checkout's .venv there."""
    return sorted({path for path in (sys.prefix, sys.base_prefix) if path.startswith("/tmp/")})


def _make_mounts(request: dict) -> None:
    """Give the grading its own /run/tic/grading (connection file, sockets), /tmp and /dev/shm; hide other gradings."""
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _mount("tmpfs", "/run/tic/grading", "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755")
    os.mkdir("/run/tic/grading/ipc")
    _mount(request["socket_dir"], "/run/tic/grading/ipc", None, MS_BIND)
    with open("/run/tic/grading/kernel.json", "w", encoding="utf-8") as file:
        json.dump(request["connection"], file)
    os.chmod("/run/tic/grading/kernel.json", 0o444)
    # The fresh /tmp below would hide a Python that lives under /tmp (bubblewrap binds it after its
    # tmpfs for the same reason): hold it aside, then bind it back, read-only, on top of the new /tmp.
    held = []
    for number, path in enumerate(_python_under_tmp()):
        aside = f"/run/tic/grading/python{number}"
        os.mkdir(aside)
        _mount(path, aside, None, MS_BIND | MS_REC)
        held.append((aside, path))
    _mount("tmpfs", request["run_dir"], "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0755")
    _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={request['tmpfs_mb']}m,mode=1777")
    for aside, path in held:
        _make_dirs(path)
        _mount(aside, path, None, MS_BIND | MS_REC)
        _mount(None, path, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
        _check(_libc.umount2(aside.encode(), MNT_DETACH), f"umount {aside}")
        os.rmdir(aside)
    _mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=1777")


def _make_dirs(path: str) -> None:
    """Create path and its parents (root's, mode 0755: other uids may pass, not change them)."""
    os.makedirs(path, mode=0o755, exist_ok=True)
    for parent in [path, *map(str, pathlib.PurePosixPath(path).parents)]:
        if parent.startswith("/tmp/"):
            os.chmod(parent, 0o755)


def _kernel(request: dict) -> None:
    """Become the trainee's ipykernel on /run/tic/grading/kernel.json (never returns)."""
    code = SETUP_FAILED
    try:
        _become(request["uid"], request["uid"], request["rlimits"])
        # As `python -m ipykernel_launcher` in /tmp (the old path): the working folder comes first on the
        # path, so an exercise's own modules written there (e.g. tangsel.py) import as before.
        sys.path.insert(0, os.getcwd())
        kernelapp = importlib.import_module("ipykernel.kernelapp")  # imported already (PRELOAD)
        argv = ["--HistoryManager.hist_file=:memory:", "-f", "/run/tic/grading/kernel.json"]
        sys.argv = [request["launcher"], *argv]
        code = 0
        kernelapp.launch_new_instance(argv=argv)
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 0 if stop.code is None else 1
    except BaseException:  # noqa: BLE001 - the status says it failed; details go to stderr
        traceback.print_exc()
        code = code or 1
    finally:
        os._exit(code)


def _harness(request: dict, fds: list[int], inside: str, python: str) -> None:
    """Exec the test harness as its own uid, sharing the kernel's group (never returns)."""
    try:
        _become(request["harness_uid"], request["uid"], request["rlimits"])
        for fd in fds:
            os.set_inheritable(fd, True)
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(devnull, 1)
        os.execv(python, [python, "-P", "-s", f"{inside}/harness.py", *map(str, fds)])
    except BaseException:  # noqa: BLE001
        traceback.print_exc()
    os._exit(SETUP_FAILED)


def _init(request: dict, fds: list[int], program: bytes, inside: str, python: str) -> None:
    """Pid 1 of the grading: start harness and kernel, reap everything, exit with the kernel's status."""
    try:
        _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
        os.setsid()
        _drop_bounding_set()
        _load_seccomp(program)
        harness = os.fork()
        if harness == 0:
            _harness(request, fds, inside, python)
        for fd in fds:
            os.close(fd)
        kernel = os.fork()
        if kernel == 0:
            _kernel(request)
        while True:
            pid, status = os.wait()
            if pid == kernel:
                break
        os.kill(harness, signal.SIGKILL)
        os.waitpid(harness, 0)
        os._exit(_exit_code(status))
    except BaseException:  # noqa: BLE001
        traceback.print_exc()
    os._exit(SETUP_FAILED)


def _supervise(request: dict, fds: list[int], program: bytes, inside: str, python: str) -> None:
    """One grading's supervisor: namespaces and mounts, then watch init and the link (never returns)."""
    link = socket.socket(fileno=fds[0])
    harness_fds = fds[1:]
    _close_fds({link.fileno(), *harness_fds})
    try:
        link.send(b"hello")  # the credentials of this message tell the orchestrator our pid
        answer = link.recv(1 << 16)
        if not answer.startswith(b"go "):
            os._exit(0)
        request["connection"] = json.loads(answer[3:])  # the key never passes through the zygote
        _libc.unshare.argtypes = [ctypes.c_int]
        _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET), "unshare")
        _make_mounts(request)
        _loopback_up()
        init = os.fork()
        if init == 0:
            link.close()
            _init(request, harness_fds, program, inside, python)
        for fd in harness_fds:
            os.close(fd)
        pidfd = os.pidfd_open(init)
        watched = [link, pidfd]
        while True:
            readable, _, _ = select.select(watched, [], [])
            if pidfd in readable:
                _, status = os.waitpid(init, 0)
                try:
                    link.send(b"exit %d" % _exit_code(status))
                except OSError:
                    pass
                os._exit(0)
            if link in readable:
                data = link.recv(16)
                if not data or data == b"kill":
                    os.kill(init, signal.SIGKILL)  # the whole pid namespace goes with it
                    watched = [pidfd]
    except BaseException:  # noqa: BLE001
        traceback.print_exc()
    os._exit(SETUP_FAILED)


def _reap() -> None:
    """Collect ended supervisors."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def main() -> None:
    """Preload, then fork a supervisor per request until the control socket closes."""
    config = json.loads(sys.argv[1])
    with os.fdopen(config["seccomp_fd"], "rb") as source:
        program = source.read()
    control = socket.socket(fileno=config["control_fd"])
    for name in PRELOAD:
        importlib.import_module(name)
    launcher = importlib.util.find_spec("ipykernel_launcher").origin
    # The preloaded objects never change: keep the garbage collector of every fork off them (less CPU,
    # and fewer of the shared pages copied).
    gc.freeze()
    while True:
        _reap()
        readable, _, _ = select.select([control], [], [], 1.0)
        if not readable:
            continue
        try:
            data, fds, _, _ = socket.recv_fds(control, 1 << 20, 3)
        except OSError:
            os._exit(0)
        if not data:
            os._exit(0)  # the owner closed the pool or died: this sandbox ends with us
        request = dict(json.loads(data), launcher=launcher, run_dir=config["run_dir"])
        if os.fork() == 0:
            control.close()
            _supervise(request, fds, program, config["inside"], config["python"])
        for fd in fds:
            os.close(fd)


if __name__ == "__main__":
    main()
