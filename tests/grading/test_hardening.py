"""Sandbox hardening in real kernels: syscall filter, total bound, live kernel cap, streamed output cap."""

import json
import time
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest

from tic_academy.grading import Limits, sandbox
from tic_academy.grading.pool import KernelPool

pytestmark = pytest.mark.kernel

#: ctypes access to raw system calls, shared by the snippets below.
LIBC = (
    "import ctypes\n"
    "libc = ctypes.CDLL(None, use_errno=True)\n"
    "libc.syscall.restype = ctypes.c_long\n"
    "L = ctypes.c_long\n"
    "def call(number, *args):\n"
    "    ctypes.set_errno(0)\n"
    "    result = libc.syscall(L(number), *args)\n"
    "    return result, ctypes.get_errno()\n"
)

#: Stores a secret in the uid's user keyring (add_key, KEY_SPEC_USER_KEYRING).
STORE_KEY = LIBC + (
    "print('add_key', *call(248, b'user', b'tic-rahasia', b'RAHASIA-KUNCI', L(13), L(-4)))\n"
)

#: Looks for that secret (request_key) and reads it (keyctl KEYCTL_READ).
READ_KEY = LIBC + (
    "serial, err = call(249, b'user', b'tic-rahasia', None, L(0))\n"
    "print('request_key', serial, err)\n"
    "if serial > 0:\n"
    "    buf = ctypes.create_string_buffer(64)\n"
    "    call(250, L(11), L(serial), buf, L(64))\n"
    "    print('dibaca', buf.value.decode())\n"
)


def _run(pool, *sources):
    """Run code cells in one fresh kernel of pool; return (execution, stdout+stderr text)."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in sources])
    deadline = time.monotonic() + 15
    while isinstance(pool._uids, sandbox.UidLeases) and len(pool._uids._free) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)  # the previous kernel is destroyed in the background and gives its uid back
    execution = pool.execute(nb, list(range(len(sources))))
    text = "".join(out.get("text", "") + out.get("evalue", "") for cell in nb.cells for out in cell.outputs)
    return execution, text


@pytest.fixture
def one_uid_pool():
    """A cold-start pool whose kernels all get the same uids (kernel, harness), as happens after 64 gradings."""
    pool = KernelPool("bwrap", size=0, limits=Limits(cell_timeout_s=10, total_timeout_s=30))
    pool._uids = sandbox.UidLeases(count=2)
    yield pool
    pool.close()


def test_keyring_secret_does_not_reach_the_next_kernel_with_the_same_uid(engine, one_uid_pool):
    """Can a kernel read a key an earlier kernel of the same (reused) uid stored? (It must not.)"""
    _, stored = _run(one_uid_pool, STORE_KEY)
    _, found = _run(one_uid_pool, READ_KEY)
    assert "RAHASIA-KUNCI" not in found
    assert stored.split() == ["add_key", "-1", "1"]  # EPERM
    assert found.split()[:3] == ["request_key", "-1", "1"]


def test_ptrace_unshare_and_foreign_abis_are_refused(engine, one_uid_pool):
    """Are ptrace, unshare, bpf and x32/i386 system calls refused with EPERM, while fork still works?"""
    code = LIBC + (
        "print('ptrace', *call(101, L(0), L(0), L(0), L(0)))\n"  # PTRACE_TRACEME
        "print('unshare', *call(272, L(0x10000000)))\n"  # CLONE_NEWUSER
        "print('x32', *call(0x40000000 | 248, b'user', b'x', b'y', L(1), L(-4)))\n"
        "print('bpf', *call(321, L(0), None, L(0)))\n"
        # An i386 system call (int 0x80) from machine code: getpid, which would succeed if i386 were allowed.
        "import mmap\n"
        "page = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)\n"
        "page.write(bytes([0xb8, 20, 0, 0, 0, 0xcd, 0x80, 0xc3]))\n"  # mov eax, 20; int 0x80; ret
        "i386 = ctypes.CFUNCTYPE(ctypes.c_int)(ctypes.addressof(ctypes.c_char.from_buffer(page)))\n"
        "print('i386', i386())\n"
        "import os\nprint('fork', 'ok' if os.fork() or os._exit(0) else '')\n"
    )
    execution, text = _run(one_uid_pool, code)
    lines = dict(line.split(" ", 1) for line in text.strip().splitlines())
    assert lines["ptrace"] == lines["unshare"] == lines["x32"] == lines["bpf"] == "-1 1"
    assert lines["i386"] == "-1"  # -EPERM
    assert lines["fork"] == "ok"  # ordinary process creation still works
    assert execution.stopped is None


def test_bwrap_command_loads_the_seccomp_filter():
    """Does the sandbox command hand bwrap the filter fd, and refuse to be built without one?"""
    plan = sandbox.SandboxPlan(uid=200_123, socket_dir="/tmp/k/ipc", connection_fd=7, seccomp_fd=9)
    command = sandbox.bwrap_command(plan, Limits())
    assert command[command.index("--seccomp") + 1] == "9"
    # bwrap loads it just before running the launcher, so it binds the launcher, setpriv and all below.
    assert command.index("--seccomp") < len(command) - 1 and command[-1] == "--"
    assert json.dumps(command)  # plain strings only
    with pytest.raises(sandbox.SandboxUnavailable, match="seccomp"):
        sandbox.bwrap_command(sandbox.SandboxPlan(200_123, "/tmp/k/ipc", 7), Limits())


#: Three children, each touching 300 MiB (under the 2 GiB per-process limit) and holding it.
THREE_CHILDREN = (
    "import os, time\n"
    "pids = []\n"
    "for i in range(3):\n"
    "    pid = os.fork()\n"
    "    if pid == 0:\n"
    "        with open('/proc/self/oom_score_adj', 'w') as f:\n"
    "            f.write('1000')\n"  # the children, not the kernel, are the first to go
    "        data = b'x' * (300 * 1024 * 1024)\n"
    "        time.sleep(2)\n"
    "        os._exit(0)\n"
    "    pids.append(pid)\n"
    "killed = 0\n"
    "for pid in pids:\n"
    "    killed += os.WIFSIGNALED(os.waitpid(pid, 0)[1])\n"
    "print('dihentikan', killed)\n"
)


def test_forked_children_together_are_bound_by_the_total(engine):
    """Are forked children that together pass the sandbox's total memory stopped (each is under its own limit)?"""
    if engine.isolation["total_bound"] == "rlimits":
        pytest.skip(f"no usable cgroup on this host ({engine.isolation['total_bound_reason']}); "
                    "test_rlimits_fallback_is_reported covers the fallback")
    pool = KernelPool("bwrap", size=0, limits=Limits(total_memory_mb=512, cell_timeout_s=20, total_timeout_s=30))
    try:
        execution, text = _run(pool, THREE_CHILDREN)
    finally:
        pool.close()
    assert execution.stopped is None, text  # the kernel itself survives
    assert text.startswith("dihentikan ")
    assert int(text.split()[1]) >= 1, text


def test_parallel_executions_never_exceed_the_live_kernel_cap(monkeypatch):
    """Do 8 parallel executions on a pool of 2 keep at most pool size + 2 kernels alive, cold starts included?"""
    from tic_academy.grading import pool as pool_module

    live = {"now": 0, "peak": 0}
    real_start, real_destroy = pool_module.start_kernel, pool_module.Kernel.destroy

    async def counted_start(*args, **kwargs):
        live["now"] += 1  # counted from the moment a kernel process may exist
        live["peak"] = max(live["peak"], live["now"])
        try:
            return await real_start(*args, **kwargs)
        except BaseException:
            live["now"] -= 1
            raise

    async def counted_destroy(kernel):
        try:
            await real_destroy(kernel)
        finally:
            live["now"] -= 1

    monkeypatch.setattr(pool_module, "start_kernel", counted_start)
    monkeypatch.setattr(pool_module.Kernel, "destroy", counted_destroy)
    limits = Limits(cell_timeout_s=20, total_timeout_s=60)
    pool = KernelPool("bwrap", size=2, limits=limits)
    cold = Limits(cell_timeout_s=20, total_timeout_s=60, tmpfs_mb=32)  # other sandbox limits: a cold start
    try:
        assert pool.max_live == 4
        with ThreadPoolExecutor(8) as threads:
            runs = list(threads.map(lambda i: _run(pool, "import time\ntime.sleep(0.5)\nprint('selesai')")
                                    if i % 2 else _run_with(pool, cold), range(8)))
    finally:
        pool.close()
    assert [text for _, text in runs] == ["selesai\n"] * 8
    assert live["peak"] <= 4, live


def _run_with(pool, limits):
    """Run a short cell in a kernel started with these limits."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import time\ntime.sleep(0.5)\nprint('selesai')")])
    execution = pool.execute(nb, [0], limits)
    return execution, "".join(out.get("text", "") for out in nb.cells[0].outputs)


CORRECT = "def tambah(a, b):\n    return a + b\n"

#: Grades one answer in a fresh process and reports that process's peak memory before and after.
PEAK_RSS_SCRIPT = """
import json, resource, sys
import nbformat
from tic_academy.grading import GradingEngine, GradingSettings, Limits

source = nbformat.read(sys.argv[1], as_version=4)
engine = GradingEngine(GradingSettings(sandbox="bwrap", pool_size=0, limits=Limits(cell_timeout_s=30, total_timeout_s=60)))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result = engine.grade(source, {"jawaban": sys.argv[2]})
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
engine.close()
print(json.dumps({"before_kib": before, "after_kib": after, "score": result.score,
                  "outputs": json.dumps(result.cells[2]["outputs"])}))
"""


def test_huge_print_is_refused_while_it_streams(tmp_path, nbf):
    """Does a 64 MiB print end with a clear 'keluaran terlalu besar', the grade intact, and the grading process's
    peak memory growing far less than the print?"""
    import subprocess
    import sys

    source = tmp_path / "sumber.ipynb"
    source.write_text(nbformat.writes(nbf.exercise()))
    answer = CORRECT + "print('x' * (64 * 1024 * 1024))\nprint('sesudah')"
    done = subprocess.run([sys.executable, "-c", PEAK_RSS_SCRIPT, str(source), answer], capture_output=True,
                          text=True, timeout=120, cwd=str(tmp_path), env=_env_with_project_path())
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["score"] == 3
    assert "Keluaran terlalu besar" in report["outputs"] and len(report["outputs"]) < 200_000
    grown_mib = (report["after_kib"] - report["before_kib"]) / 1024
    assert grown_mib < 16, report  # the print was 64 MiB; before the cap this process grew by ~200 MiB


def test_huge_error_message_ends_the_cell_with_a_reason(engine, nbf):
    """Does an exception whose message is 8 MiB end its cell as 'too large' (not a timeout), later cells still running?"""
    answer = CORRECT + "raise ValueError('x' * (8 * 1024 * 1024))"
    started = time.monotonic()
    result = engine.grade(nbf.exercise(), {"jawaban": answer})
    assert time.monotonic() - started < 10
    assert "Keluaran terlalu besar" in json.dumps(result.cells[2]["outputs"])
    assert result.score == 3


def _env_with_project_path():
    """Return this environment with the project on PYTHONPATH (the subprocess runs in tmp_path)."""
    import os

    project = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return {**os.environ, "PYTHONPATH": project}


def test_kernel_over_the_total_memory_dies_with_that_reason(engine):
    """Does a kernel that itself passes the total memory bound end with a reason that says so?"""
    if engine.isolation["total_bound"] == "rlimits":
        pytest.skip(f"no usable cgroup on this host ({engine.isolation['total_bound_reason']})")
    pool = KernelPool("bwrap", size=0, limits=Limits(total_memory_mb=384, cell_timeout_s=20, total_timeout_s=30))
    try:
        execution, _ = _run(pool, "data = b'x' * (600 * 1024 * 1024)")
    finally:
        pool.close()
    assert execution.runs[0].status == "died"
    assert execution.stopped == {"code": "kernel_memory", "params": {}}
