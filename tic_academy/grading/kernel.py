"""The one module that talks to jupyter_client: starting, driving and killing one sandboxed kernel."""

from __future__ import annotations

import asyncio
import os
import queue
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field

from jupyter_client import AsyncKernelManager

from . import sandbox
from .limits import Limits
from .outputs import CellOutputs, OutputBudget

#: Seconds between liveness checks while a cell is quiet.
POLL_S = 0.2
START_TIMEOUT_S = 30


class KernelStartError(RuntimeError):
    """A sandboxed kernel could not be started (the grading can be retried later)."""


@dataclass
class CellRun:
    """How one executed cell ended: ok, error, timeout, died (kernel gone) or not_run."""

    index: int
    status: str = "not_run"
    ename: str = ""
    evalue: str = ""
    duration_s: float = 0.0


@dataclass
class Execution:
    """The outcome of executing a notebook's code cells in one kernel."""

    runs: list[CellRun] = field(default_factory=list)
    #: Why execution stopped before the last cell (timeout, kernel died), else None.
    stopped: str | None = None
    duration_s: float = 0.0


class _SandboxedKernelManager(AsyncKernelManager):
    """An AsyncKernelManager whose kernel command is the sandbox command."""

    def setup_sandbox(self, mode: str, plan: sandbox.SandboxPlan, write_fd: int | None, limits: Limits) -> None:
        """Remember how to sandbox the kernel (called before start_kernel)."""
        self._tic = (mode, plan, write_fd, limits)

    def format_kernel_cmd(self, extra_arguments=None) -> list[str]:
        """Return the sandbox command; hand the connection file over through the pipe."""
        mode, plan, write_fd, limits = self._tic
        if write_fd is not None:
            with open(self.connection_file, "rb") as source, os.fdopen(write_fd, "wb") as pipe:
                pipe.write(source.read())
        return sandbox.kernel_command(mode, plan, self.connection_file, limits)


def _death_reason(returncode: int | None) -> str:
    """Explain in Indonesian why the kernel process ended."""
    if returncode is None:
        return "Kernel berhenti tanpa sebab yang diketahui."
    code = -returncode if returncode < 0 else returncode - 128 if returncode > 128 else None
    if code == signal.SIGXCPU:
        return "Kernel dihentikan: batas waktu CPU terlampaui."
    if code == signal.SIGKILL:
        return "Kernel dihentikan paksa (batas CPU atau memori terlampaui)."
    if code == signal.SIGXFSZ:
        return "Kernel dihentikan: batas ukuran berkas terlampaui."
    if code is not None:
        return f"Kernel dihentikan oleh sinyal {code}."
    return f"Kernel berhenti dengan kode keluar {returncode} (mis. os._exit)."


class Kernel:
    """One sandboxed ipykernel, used for exactly one execution and then destroyed."""

    def __init__(self, mode: str, limits: Limits, run_dir: str, uids: sandbox.UidLeases):
        self.mode, self.limits, self.uids = mode, limits, uids
        self.uid = uids.take() if mode == "bwrap" and os.geteuid() == 0 else None
        self.dir = os.path.join(run_dir, f"k{id(self):x}")
        self.km = None
        self.kc = None

    async def start(self) -> None:
        """Start the sandboxed kernel and wait until it answers."""
        os.makedirs(self.dir, mode=0o700)
        socket_dir = os.path.join(self.dir, "ipc")
        sandbox.prepare_socket_dir(socket_dir, self.uid)
        read_fd = write_fd = None
        if self.mode == "bwrap":
            read_fd, write_fd = os.pipe()
        plan = sandbox.SandboxPlan(self.uid, socket_dir, read_fd)
        self.km = _SandboxedKernelManager(
            transport="ipc", ip=os.path.join(socket_dir, "kernel"),
            connection_file=os.path.join(self.dir, "kernel.json"),
        )
        self.km.setup_sandbox(self.mode, plan, write_fd, self.limits)
        try:
            await self.km.start_kernel(
                env=sandbox.kernel_env(home=self.dir if self.mode == "none" else "/tmp", hash_seed=self.limits.hash_seed),
                cwd=self.dir if self.mode == "none" else None,
                pass_fds=(read_fd,) if read_fd is not None else (),
                # The kernel's own stderr is noise in production; TIC_KERNEL_DEBUG=1 shows it.
                stdout=subprocess.DEVNULL,
                stderr=None if os.environ.get("TIC_KERNEL_DEBUG") else subprocess.DEVNULL,
            )
        finally:
            if read_fd is not None:
                os.close(read_fd)
        self.kc = self.km.client()
        # No heartbeat channel: its blocking poll stalls the shared event loop; liveness is polled instead.
        self.kc.start_channels(hb=False)
        await self.kc.wait_for_ready(timeout=START_TIMEOUT_S)
        sandbox.seal_socket_dir(socket_dir, self.uid)

    async def is_alive(self) -> bool:
        """Is the kernel process still running?"""
        return self.km is not None and await self.km.is_alive()

    async def destroy(self) -> None:
        """Kill the whole sandbox and remove its files."""
        try:
            if self.kc is not None:
                self.kc.stop_channels()
            if self.km is not None:
                process = getattr(self.km.provisioner, "process", None)
                if self.km.has_kernel:
                    await self.km.shutdown_kernel(now=True)
                if process is not None and process.poll() is None:
                    # The outer process's death takes the whole sandbox (its pid namespace) with it.
                    process.kill()
                    process.wait(timeout=5)
                self.km.context.destroy(linger=0)
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
            if self.uid is not None:
                self.uids.give_back(self.uid)
                self.uid = None

    def _returncode(self) -> int | None:
        """Return the kernel process's exit status, if it has ended."""
        process = getattr(self.km.provisioner, "process", None) if self.km else None
        return process.poll() if process else None

    async def execute(self, nb, indexes: list[int], limits: Limits) -> Execution:
        """Run the given code cells of nb in order, writing their outputs into nb."""
        started = time.monotonic()
        deadline = started + limits.total_timeout_s
        budget = OutputBudget(limits.output_bytes_total)
        execution = Execution(runs=[CellRun(index) for index in indexes])
        for run in execution.runs:
            cell = nb.cells[run.index]
            await self._run_cell(cell, run, limits, budget, deadline)
            if run.status in ("timeout", "died"):
                execution.stopped = run.evalue
                break
        execution.duration_s = time.monotonic() - started
        return execution

    async def _run_cell(self, cell, run: CellRun, limits: Limits, budget: OutputBudget, deadline: float) -> None:
        """Execute one cell, enforcing the wall-clock limits and the output cap."""
        started = time.monotonic()
        cell_deadline = min(started + limits.cell_timeout_s, deadline)
        outputs = CellOutputs(limits.output_bytes_cell, budget)
        msg_id = self.kc.execute(cell.source, store_history=True, allow_stdin=False, stop_on_error=False)
        idle, reply = False, None
        while not idle:
            left = cell_deadline - time.monotonic()
            if left <= 0:
                which = "per sel" if cell_deadline < deadline else "total"
                run.status, run.ename = "timeout", "TimeoutError"
                run.evalue = f"Batas waktu {which} terlampaui; kernel dihentikan."
                break
            try:
                msg = await self.kc.get_iopub_msg(timeout=min(left, POLL_S))
            except queue.Empty:
                reply = reply or await self._reply(msg_id, timeout=0)
                if reply is not None:
                    break  # IOPub is quiet after the reply: its idle status was dropped under load.
                if not await self.is_alive():
                    run.status, run.ename, run.evalue = "died", "KernelDied", _death_reason(self._returncode())
                    break
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["header"]["msg_type"] == "status":
                idle = msg["content"]["execution_state"] == "idle"
            elif msg["header"]["msg_type"] == "execute_input":
                cell.execution_count = msg["content"].get("execution_count")
            else:
                outputs.add(msg)
        if idle and reply is None:
            reply = await self._reply(msg_id, timeout=max(cell_deadline - time.monotonic(), POLL_S))
            if reply is None:
                run.status, run.ename, run.evalue = "died", "KernelDied", "Kernel tidak menjawab."
        if reply is not None:
            _apply_reply(run, reply)
        cell.outputs = outputs.outputs
        run.duration_s = time.monotonic() - started

    async def _reply(self, msg_id: str, timeout: float):
        """Return the shell execute_reply to msg_id, or None when none arrives in time."""
        while True:
            try:
                reply = await self.kc.get_shell_msg(timeout=timeout)
            except queue.Empty:
                return None
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply


def _apply_reply(run: CellRun, reply: dict) -> None:
    """Set the run's status from the kernel's execute_reply (never from printed text)."""
    content = reply["content"]
    if content.get("status") == "ok":
        run.status = "ok"
    else:
        run.status = "error"
        run.ename = str(content.get("ename", "Error"))
        run.evalue = str(content.get("evalue", ""))


async def start_kernel(mode: str, limits: Limits, run_dir: str, uids: sandbox.UidLeases) -> Kernel:
    """Start one sandboxed kernel; on failure clean up and re-raise."""
    kernel = Kernel(mode, limits, run_dir, uids)
    try:
        await asyncio.wait_for(kernel.start(), START_TIMEOUT_S + 5)
    except BaseException as error:
        await kernel.destroy()
        if isinstance(error, Exception):
            raise KernelStartError(f"sandboxed kernel did not start: {error!r}") from error
        raise
    return kernel

