"""Fork-server kernels: nothing survives from one grading to the next, and the zygote is out of a kernel's reach."""

import logging
import os
import signal
import subprocess
import sys
import time

import nbformat
import pytest

from tic_academy.grading import GradingSettings, Limits, forkserver, sandbox
from tic_academy.grading.pool import KernelPool

pytestmark = pytest.mark.kernel

needs_zygote = pytest.mark.skipif(not forkserver.available("bwrap"), reason="the fork server needs bubblewrap as root")

#: Grading N leaves everything it can behind: a file in /tmp and /dev/shm, an environment variable,
#: a background process (subprocess and a bare fork), and a patched module.
LEAVE_BEHIND = (
    "import math, os, subprocess, time\n"
    "open('/tmp/sisa.txt', 'w').write('rahasia')\n"
    "open('/dev/shm/sisa', 'w').write('rahasia')\n"
    "os.environ['TIC_SISA'] = 'ada'\n"
    "subprocess.Popen(['sleep', '60'])\n"
    "if os.fork() == 0:\n"
    "    time.sleep(60)\n"
    "    os._exit(0)\n"
    "math.pi = 3\n"
    "print('ditinggalkan')\n"
)

#: Grading N+1 looks for all of it.
LOOK_FOR_IT = (
    "import math, os\n"
    "print('file', os.path.exists('/tmp/sisa.txt'), os.path.exists('/dev/shm/sisa'))\n"
    "print('env', 'TIC_SISA' in os.environ)\n"
    "print('pi', math.pi)\n"
    "names = []\n"
    "for pid in os.listdir('/proc'):\n"
    "    if pid.isdigit():\n"
    "        names.append(open(f'/proc/{pid}/cmdline', 'rb').read().split(b'\\0')[0].decode())\n"
    "print('sleep', any(name.endswith('sleep') for name in names), len(names))\n"
)


def _run(pool, *sources):
    """Run code cells in one fresh kernel of pool; return (execution, stdout+stderr text)."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in sources])
    execution = pool.execute(nb, list(range(len(sources))))
    text = "".join(out.get("text", "") + out.get("evalue", "") for cell in nb.cells for out in cell.outputs)
    return execution, text


def _wait_for_uids(pool, count, seconds=15):
    """Wait until the previous kernel is destroyed (in the background) and has given its uids back."""
    deadline = time.monotonic() + seconds
    while len(pool._uids._free) < count and time.monotonic() < deadline:
        time.sleep(0.05)


def _processes_of(uid: int) -> list[str]:
    """Return 'pid command' of every live host process running as uid."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/status") as file:
                status = file.read()
            with open(f"/proc/{pid}/cmdline", "rb") as file:
                command = file.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        uids = next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1:]
        zombie = "State:\tZ" in status
        if str(uid) in uids and not zombie:
            found.append(f"{pid} {command[:120]}")
    return found


@pytest.fixture
def one_uid_pool():
    """A cold-start pool whose kernels all get the same two uids (kernel, harness), as after 64 gradings."""
    pool = KernelPool("bwrap", size=0, limits=Limits(cell_timeout_s=10, total_timeout_s=30))
    # A block of uids no other pool of this process uses (the shared engine's kernels would count as survivors).
    pool._uids = sandbox.UidLeases(pid=os.getpid() + 15_000, count=2)
    yield pool
    pool.close()


@needs_zygote
def test_nothing_survives_from_one_grading_to_the_next(one_uid_pool):
    """A file, an environment variable, background processes and a module patch of grading N are gone in N+1."""
    kernel_uid = one_uid_pool._uids._free[0]
    execution, text = _run(one_uid_pool, LEAVE_BEHIND)
    assert execution.stopped is None and "ditinggalkan" in text, text
    _wait_for_uids(one_uid_pool, 2)
    assert _processes_of(kernel_uid) == []  # the sleeping processes died with their grading
    execution, text = _run(one_uid_pool, LOOK_FOR_IT)
    assert execution.stopped is None, text
    assert "file False False" in text
    assert "env False" in text
    assert "pi 3.14159" in text
    assert "sleep False" in text


@needs_zygote
def test_the_zygote_is_out_of_a_kernels_reach(one_uid_pool):
    """A kernel cannot see, signal or trace the zygote, nor write its files; the next grading still works."""
    probe = (
        "import ctypes, os, signal\n"
        "seen = sorted(int(pid) for pid in os.listdir('/proc') if pid.isdigit())\n"
        "print('visible', len(seen))\n"
        "refused = 0\n"
        "for pid in seen:\n"
        "    if pid != os.getpid():\n"
        "        try:\n"
        "            os.kill(pid, 0)\n"
        "        except PermissionError:\n"
        "            refused += 1\n"
        "print('pid 1 refuses signals', 1 in seen and refused >= 1)\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "print('ptrace', libc.ptrace(16, 1, None, None), ctypes.get_errno())\n"  # PTRACE_ATTACH to init
        "try:\n"
        "    open('/run/tic/inside/zygote.py', 'a').write('# x')\n"
        "    print('zygote file written')\n"
        "except OSError:\n"
        "    print('zygote file refused')\n"
        "for pid in seen:\n"
        "    if pid != os.getpid():\n"
        "        try:\n"
        "            os.kill(pid, signal.SIGKILL)\n"
        "        except OSError:\n"
        "            pass\n"
    )
    execution, text = _run(one_uid_pool, probe)
    assert "visible 3" in text, text  # its own init, harness and kernel: no zygote, no other grading
    assert "pid 1 refuses signals True" in text, text
    assert "ptrace -1 1" in text, text  # EPERM
    assert "zygote file refused" in text, text
    assert one_uid_pool.zygote._process.poll() is None  # still running
    _wait_for_uids(one_uid_pool, 2)
    execution, text = _run(one_uid_pool, "print(6 * 7)")
    assert execution.stopped is None and "42" in text


@needs_zygote
def test_a_dead_zygote_is_restarted_with_a_log_line(caplog):
    """When the zygote dies, the pool says so, starts a new one and the grading still runs (no hang)."""
    pool = KernelPool("bwrap", size=1, limits=Limits(cell_timeout_s=10, total_timeout_s=30))
    try:
        execution, text = _run(pool, "print('pertama')")
        assert "pertama" in text
        deadline = time.monotonic() + 30
        while pool._ready.qsize() < 1 and time.monotonic() < deadline:
            time.sleep(0.1)  # the warm kernel (forked by this zygote) is ready: it dies with it
        old = pool.zygote.pid()
        os.kill(old, signal.SIGKILL)
        while pool.zygote._process.poll() is None:
            time.sleep(0.01)
        with caplog.at_level(logging.WARNING, logger="tic_academy.grading.forkserver"):
            started = time.monotonic()
            execution, text = _run(pool, "print('kedua')")
        assert execution.stopped is None and "kedua" in text, text
        assert time.monotonic() - started < 30
        assert pool.zygote.pid() != old
        assert any("fork server (zygote)" in record.message and "starting a new one" in record.message
                   for record in caplog.records)
    finally:
        pool.close()


@needs_zygote
def test_random_is_fresh_and_the_hash_seed_fixed_per_kernel(one_uid_pool):
    """Forked kernels each get a new random seed, and str hashes follow PYTHONHASHSEED as a new Python's do."""
    code = "import random\nprint(random.random(), hash('tic'))\n"
    _, first = _run(one_uid_pool, code)
    _wait_for_uids(one_uid_pool, 2)
    _, second = _run(one_uid_pool, code)
    expected = subprocess.run([sys.executable, "-c", "print(hash('tic'))"], capture_output=True, text=True,
                              env={"PYTHONHASHSEED": "0"}, check=True).stdout.split()[0]
    assert first.split()[1] == second.split()[1] == expected
    assert first.split()[0] != second.split()[0]


@needs_zygote
def test_a_module_written_to_the_working_folder_imports(one_uid_pool):
    """As under `python -m ipykernel_launcher` in /tmp: the working folder is first on the path (exercise modules)."""
    execution, text = _run(one_uid_pool, "open('tangsel_uji.py', 'w').write('KECAMATAN = 7')\n",
                           "import sys, tangsel_uji\nprint(sys.path[0], tangsel_uji.KECAMATAN)\n")
    assert "/tmp 7" in text, text


@needs_zygote
def test_limits_apply_per_grading_not_per_zygote():
    """Each forked kernel carries its grading's rlimits and /tmp size, whatever the zygote started with."""
    pool = KernelPool("bwrap", size=0, limits=Limits(cell_timeout_s=10, total_timeout_s=30))
    code = ("import resource, os\nprint('cpu', resource.getrlimit(resource.RLIMIT_CPU)[0])\n"
            "st = os.statvfs('/tmp')\nprint('tmp', st.f_blocks * st.f_frsize // (1024 * 1024))\n")
    try:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        pool.execute(nb, [0], Limits(cpu_s=7, tmpfs_mb=32, cell_timeout_s=10, total_timeout_s=30))
        text = "".join(out.get("text", "") for out in nb.cells[0].outputs)
    finally:
        pool.close()
    assert "cpu 7" in text and "tmp 32" in text, text


def test_unsandboxed_and_switched_off_pools_keep_the_old_path(caplog):
    """mode none (saying so in the log), or fork_server=False, starts each kernel as a new Python (no zygote)."""
    with caplog.at_level(logging.INFO, logger="tic_academy.grading.pool"):
        pool = KernelPool("none", size=0)
    try:
        assert pool.zygote is None
        assert any("no fork server for sandbox mode none" in record.message for record in caplog.records)
    finally:
        pool.close()
    pool = KernelPool("bwrap", size=0, fork_server=False)
    try:
        assert pool.zygote is None
    finally:
        pool.close()


def test_fork_server_setting():
    """TIC_FORK_SERVER=0 (or FORK_SERVER false in the app's config) switches the fork server off."""
    assert GradingSettings.from_env({}).fork_server is True
    assert GradingSettings.from_env({"TIC_FORK_SERVER": "0"}).fork_server is False
    assert GradingSettings.from_config({"FORK_SERVER": False}).fork_server is False
