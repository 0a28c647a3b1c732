"""The sandbox command and settings (no kernel)."""

import json
import sys
from pathlib import Path

import pytest

from tic_academy.grading import GradingEngine, GradingSettings, Limits, SandboxUnavailable
from tic_academy.grading import sandbox


PROJECT = Path(sandbox.__file__).resolve().parents[2]


def _command():
    """Return the bwrap kernel command for a typical plan."""
    plan = sandbox.SandboxPlan(uid=200_123, socket_dir="/tmp/tic-kernels-x/k1/ipc", connection_fd=7,
                               harness_uid=200_124, harness_fds=(8, 9))
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
    """Does the test harness run as its own uid, isolated (-I), with the same limits and only its pipes?"""
    monkeypatch.setattr(sandbox.os, "geteuid", lambda: 0)
    launched = _launched(_command())
    harness = launched["harness"]
    for option in ("--reuid=200124", "--regid=200123", "--no-new-privs", "--inh-caps=-all",
                   f"--as={2048 * 1024 * 1024}", "-I"):
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
