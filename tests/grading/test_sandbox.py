"""The sandbox command and settings (no kernel)."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tic_academy.grading import GradingEngine, GradingSettings, Limits, SandboxUnavailable
from tic_academy.grading import cgroups, sandbox
from tic_academy.grading.pool import KernelPool


PROJECT = Path(sandbox.__file__).resolve().parents[2]


def _command():
    """Return the bwrap kernel command for a typical plan."""
    plan = sandbox.SandboxPlan(uid=200_123, socket_dir="/tmp/tic-kernels-x/k1/ipc", connection_fd=7,
                               harness_uid=200_124, harness_fds=(8, 9), seccomp_fd=10)
    return sandbox.kernel_command("bwrap", plan, "/tmp/tic-kernels-x/k1/kernel.json", Limits())


def _launched(command):
    """Return the launcher's plan (kernel argv, harness argv, fds) from the sandbox command."""
    return json.loads(command[-1])


def test_bwrap_command_isolates_the_kernel(monkeypatch):
    """Does the command unshare namespaces, clear the env, drop privileges and set rlimits?"""
    monkeypatch.setattr(sandbox.os, "geteuid", lambda: 0)
    command = _command()
    for option in ("--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
                   "--die-with-parent", "--new-session", "--clearenv"):
        assert option in command
    assert command[command.index("--file") + 1] == "7"
    kernel = _launched(command)["kernel"]
    for option in ("--no-new-privs", "--inh-caps=-all", "--reuid=200123", f"--as={2048 * 1024 * 1024}"):
        assert option in kernel
    assert "ipykernel_launcher" in kernel


def test_harness_runs_as_another_uid_with_its_pipes(monkeypatch):
    """Does the test harness run as its own uid, without cwd imports (-P -s), with the same limits and only its pipes?"""
    monkeypatch.setattr(sandbox.os, "geteuid", lambda: 0)
    launched = _launched(_command())
    harness = launched["harness"]
    for option in ("--reuid=200124", "--regid=200123", "--no-new-privs", "--inh-caps=-all",
                   f"--as={2048 * 1024 * 1024}", "-P", "-s"):
        assert option in harness
    assert harness[-3:] == [f"{sandbox.INSIDE_MOUNT}/harness.py", "8", "9"]
    assert launched["harness_fds"] == [8, 9]
    assert "8" not in launched["kernel"] and "--reuid=200124" not in launched["kernel"]


def test_bwrap_command_hides_the_project():
    """Is the project directory (code, instance/, database) never bound into the sandbox?"""
    command = _command()
    binds = [command[i + 1] for i, arg in enumerate(command) if arg in ("--bind", "--ro-bind")]
    project = str(PROJECT)
    allowed = {sys.prefix, sandbox.INSIDE_DIR}  # the virtualenv and the in-sandbox code, read-only
    assert project not in binds
    assert not any(path.startswith(project) and path not in allowed for path in binds)
    inside = command.index(sandbox.INSIDE_DIR)
    assert command[inside - 1] == "--ro-bind"


def test_socket_dir_is_bound_at_the_same_path_after_tmp():
    """Is the socket dir bound at its own path, after the /tmp tmpfs that would hide it?"""
    command = _command()
    bind = command.index("--bind")
    assert command[bind + 1] == command[bind + 2] == "/tmp/tic-kernels-x/k1/ipc"
    assert command.index("/tmp") < bind


def test_settings_from_config_and_env():
    """Are SANDBOX/KERNEL_POOL_SIZE and TIC_SANDBOX/TIC_KERNEL_POOL_SIZE read?"""
    assert GradingSettings.from_config({"SANDBOX": "none", "KERNEL_POOL_SIZE": "3"}) == GradingSettings("none", 3)
    assert GradingSettings.from_env({"TIC_SANDBOX": "bwrap", "TIC_KERNEL_POOL_SIZE": "1"}).pool_size == 1
    assert GradingSettings.from_config({}).sandbox == "bwrap"


def test_engine_refuses_without_bwrap(monkeypatch, nbf):
    """Does the engine refuse to grade when bwrap is missing and the sandbox is not 'none'?"""
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    engine = GradingEngine(GradingSettings(sandbox="bwrap"))
    assert "bwrap" in engine.unavailable
    with pytest.raises(SandboxUnavailable, match="TIC_SANDBOX=none"):
        engine.grade(nbf.exercise(), {})


def test_unknown_sandbox_mode_is_refused():
    """Is a misspelt sandbox mode refused rather than silently unsandboxed?"""
    with pytest.raises(SandboxUnavailable, match="unknown sandbox mode"):
        sandbox.check_mode("off")


def test_limits_reject_too_little_memory_and_unknown_overrides():
    """Are an address-space limit an idle kernel cannot live with and unknown overrides refused?"""
    with pytest.raises(ValueError, match="at least 2048"):
        Limits(memory_mb=512)
    with pytest.raises(ValueError, match="unknown limit"):
        Limits().merged({"cpu": 1})
    assert Limits().merged({"cell_timeout_s": 2}).cell_timeout_s == 2


def test_uid_leases_differ_between_processes():
    """Do two processes (e.g. xdist workers) get disjoint uid blocks, and is a uid reused only when given back?"""
    first, second = sandbox.UidLeases(pid=1000), sandbox.UidLeases(pid=1001)
    assert first.take() != second.take()
    uid = first.take()
    first.give_back(uid)
    assert uid in first._free


def test_rlimits_fallback_is_reported(monkeypatch, caplog):
    """Without a usable cgroup, does the engine say at start-up that only rlimits bound a sandbox?"""
    monkeypatch.setattr(cgroups, "_host", cgroups.Host(None, {}, "tidak ada cgroup"))
    engine = GradingEngine(GradingSettings(sandbox="bwrap", pool_size=0))
    try:
        assert engine.isolation == {"sandbox": "bwrap", "seccomp": True, "total_bound": "rlimits",
                                    "total_bound_reason": "tidak ada cgroup"}
    finally:
        engine.close()
    assert any("rlimits only" in record.getMessage() and record.levelname == "WARNING" for record in caplog.records)


def _read(path):
    """Return the text of a cgroup control file."""
    with open(path) as file:
        return file.read()


def test_cgroup_bounds_and_then_kills_a_whole_process_tree():
    """Does a leaf cgroup take a running process tree, carry the bounds, and kill and vanish on destroy?"""
    host = cgroups.host()
    if host.kind is None:
        pytest.skip(f"no usable cgroup on this host: {host.reason}")
    leaf = cgroups.Cgroup(host, "tes-pohon", 300, 16, 0.5)
    process = subprocess.Popen(["sh", "-c", "sleep 30 & sleep 30 & wait"])
    try:
        time.sleep(0.3)
        leaf.attach_tree(process.pid)
        assert len(leaf.pids()) == 3 and process.pid in leaf.pids()
        if host.kind == "cgroup2":
            assert _read(leaf._file("memory", "memory.max")).strip() == str(300 * 1024 * 1024)
            assert _read(leaf._file("cpu", "cpu.max")).split() == ["50000", "100000"]
        else:
            assert _read(leaf._file("memory", "memory.limit_in_bytes")).strip() == str(300 * 1024 * 1024)
            assert _read(leaf._file("cpu", "cpu.cfs_quota_us")).strip() == "50000"
        assert _read(leaf._file("pids", "pids.max")).strip() == "16"
    finally:
        leaf.destroy()
    assert process.wait(timeout=5) == -9
    assert not any(os.path.exists(path) for path in leaf.dirs.values())


def test_live_kernel_cap_setting():
    """Is TIC_KERNEL_MAX_LIVE read, and a cap that leaves no room for a cold start refused?"""
    assert GradingSettings.from_env({"TIC_KERNEL_MAX_LIVE": "5"}).max_live == 5
    assert GradingSettings.from_config({"KERNEL_MAX_LIVE": None}).max_live is None
    with pytest.raises(ValueError, match="must be larger than the pool size"):
        KernelPool("bwrap", size=2, max_live=2)


def test_cgroup2_leaf_gets_its_bounds(tmp_path):
    """On a cgroup2 host (a fake tree here), are the controllers delegated and memory/pids/cpu written?"""
    own = tmp_path / "grading"
    own.mkdir()
    (own / "cgroup.controllers").write_text("cpuset cpu io memory pids\n")
    (own / "cgroup.subtree_control").write_text("\n")
    found = cgroups._detect_v2([(str(tmp_path), "cgroup2", set())], {"": "/grading"})
    assert found.kind == "cgroup2"
    assert _read(own / "cgroup.subtree_control").split() == ["+memory", "+pids", "+cpu"]
    leaf = cgroups.Cgroup(found, "k1", 300, 16, 0.5)
    assert _read(leaf._file("memory", "memory.max")).strip() == str(300 * 1024 * 1024)
    assert _read(leaf._file("pids", "pids.max")).strip() == "16"
    assert _read(leaf._file("cpu", "cpu.max")).split() == ["50000", "100000"]


def test_cgroup2_without_controllers_is_not_used(tmp_path):
    """Is a cgroup2 mount without the memory controller (a hybrid host) refused with the reason?"""
    own = tmp_path / "grading"
    own.mkdir()
    (own / "cgroup.controllers").write_text("hugetlb\n")
    with pytest.raises(OSError, match="lacks the memory, pids, cpu"):
        cgroups._detect_v2([(str(tmp_path), "cgroup2", set())], {"": "/grading"})
