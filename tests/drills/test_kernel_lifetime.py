"""No kernel outlives its owner: a process holding a warm pool that is killed, or exits without closing it."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time

import pytest

from tic_academy.grading import forkserver, sandbox

pytestmark = pytest.mark.kernel

#: The owner: starts a warm pool (TMPDIR puts its run directory, and so every kernel's command line,
#: under the test's own directory), says "ready" once both kernels are up, then on a line from stdin does
#: what argv[1] says (the test kills it with SIGKILL instead for "kill").
OWNER = textwrap.dedent("""
    import os, sys, time
    from tic_academy.grading.pool import KernelPool
    pool = KernelPool(sys.argv[2], size=2)
    deadline = time.monotonic() + 60
    while pool._ready.qsize() < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    print("ready", flush=True)
    sys.stdin.readline()
    if sys.argv[1] == "hard-exit":
        os._exit(0)  # no atexit, no close: only the kernels' lifeline can notice
    # "exit": a normal end without closing the pool
""")


def _processes_with(marker: str) -> list[str]:
    """Return 'pid command' of every live process whose command line mentions marker."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as file:
                command = file.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{pid}/stat") as file:
                state = file.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in command and state != "Z":
            found.append(f"{pid} {command[:200]}")
    return found


def _wait_until_gone(marker: str, seconds: float = 10) -> list[str]:
    """Wait until no process mentions marker; return the ones still there after the wait."""
    deadline = time.monotonic() + seconds
    while True:
        left = _processes_with(marker)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.2)


def _usable(mode: str) -> bool:
    """Can kernels of this sandbox mode start here?"""
    try:
        sandbox.check_mode(mode)
    except sandbox.SandboxUnavailable:
        return False
    return True


@pytest.fixture
def run_dir():
    """A short, fresh temporary directory (kernel socket paths must stay under 107 bytes)."""
    path = tempfile.mkdtemp(prefix="tic-life-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _start_owner(run_dir: str, how: str, mode: str) -> subprocess.Popen:
    """Start an owner process and wait until its pool's kernels are running."""
    env = {**os.environ, "TMPDIR": str(run_dir)}
    owner = subprocess.Popen([sys.executable, "-c", OWNER, how, mode], env=env,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             cwd=os.getcwd())
    assert owner.stdout.readline().strip() == "ready"
    assert len(_processes_with(run_dir)) >= 2, "the pool started no kernel"
    return owner


@pytest.mark.parametrize("mode", ["bwrap", "none"])
@pytest.mark.parametrize("how", ["kill", "exit", "hard-exit"])
def test_no_kernel_outlives_its_owner(run_dir, how, mode):
    """SIGKILL, a normal exit and os._exit of the owner all leave no kernel of its pool behind.

    bwrap's --die-with-parent covers only the bwrap mode; the lifeline pipe covers both.
    """
    if mode == "bwrap" and not _usable("bwrap"):
        pytest.skip("bubblewrap sandbox unavailable here")
    marker = run_dir
    owner = _start_owner(run_dir, how, mode)
    if mode == "bwrap" and forkserver.available(mode):
        # The pool forks its kernels from a zygote: it must go too (its forked kernels carry its command line).
        assert any("zygote.py" in line for line in _processes_with(marker))
    try:
        if how == "kill":
            owner.send_signal(signal.SIGKILL)
        else:
            owner.stdin.write("go\n")
            owner.stdin.flush()
        owner.wait(timeout=60)
        left = _wait_until_gone(marker)
        errors = owner.stderr.read()
    finally:
        if owner.poll() is None:
            owner.kill()
        owner.stdin.close()
        owner.stdout.close()
        owner.stderr.close()
    for line in left:  # do not leave them for the next test run either
        os.kill(int(line.split()[0]), signal.SIGKILL)
    assert left == []
    if how == "exit":  # closed at exit by atexit, cleanly (cgroups removed too)
        assert "destroying a kernel failed" not in errors, errors
