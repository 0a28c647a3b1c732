"""The one module that talks to jupyter_client: starting, driving and killing one sandboxed kernel."""

from __future__ import annotations

import asyncio
import json
import itertools
import os
import queue
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field

import nbformat
import zmq
import zmq.asyncio
from jupyter_client import AsyncKernelClient, AsyncKernelManager
from jupyter_client.connect import write_connection_file
from zmq.utils.monitor import parse_monitor_message

from . import cgroups, forkserver, pysource, sandbox, seccomp
from .harness import HarnessGone, HarnessLink, test_segments
from .limits import Limits
from .messages import checked, message
from .notebook import grade_id, is_test
from .outputs import CellOutputs, OutputBudget

#: Seconds between liveness checks while a cell is quiet.
POLL_S = 0.2
START_TIMEOUT_S = 30

#: Run once in every new kernel: loads the agent that answers the harness's questions (inside/agent.py).
AGENT_BOOT = """
def _tic_boot(inside):
    import types
    def load(name):
        module = types.ModuleType(name)
        path = inside + "/" + name + ".py"
        with open(path, encoding="utf-8") as source:
            exec(compile(source.read(), path, "exec"), module.__dict__)
        return module
    load("agent").install(get_ipython(), load("codec"), {max_answer})
_tic_boot({inside!r})
del _tic_boot
"""
#: Numbers the kernels of this process (names of their cgroups, with the pid: forked workers share a parent).
_numbers = itertools.count(1)
#: Room in one kernel message beyond the cell's output cap (headers, a long cell echoed in execute_input).
MESSAGE_SLACK_BYTES = 1024 * 1024
TOO_LARGE = "Keluaran terlalu besar: satu pesan dari kernel melebihi {kib} KiB dan dibuang."


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
    #: Why the grader (not the trainee's code) ended the cell, as a message (grading/messages.py).
    message: dict | None = None


@dataclass
class Execution:
    """The outcome of executing a notebook's code cells in one kernel."""

    runs: list[CellRun] = field(default_factory=list)
    #: Why execution stopped before the last cell (timeout, kernel died) as a message, else None.
    stopped: dict | None = None
    duration_s: float = 0.0


class _DropWatch:
    """Notices when the client refused a kernel message over the size cap (zmq then drops that connection)."""

    def __init__(self, kc):
        self.kc = kc
        events = zmq.EVENT_DISCONNECTED | zmq.EVENT_CONNECTED
        self.monitors = {
            "iopub": kc.iopub_channel.socket.get_monitor_socket(events),
            "shell": kc.shell_channel.socket.get_monitor_socket(events),
        }
        #: Channels that lost their connection since the last reset, and channels that are down now.
        self.dropped: set[str] = set()
        self.down: set[str] = set()

    async def poll(self) -> None:
        """Read the connection events that arrived so far."""
        for channel, monitor in self.monitors.items():
            while await monitor.poll(0):
                event = parse_monitor_message(await monitor.recv_multipart())["event"]
                if event == zmq.EVENT_DISCONNECTED:
                    self.dropped.add(channel)
                    self.down.add(channel)
                elif event == zmq.EVENT_CONNECTED:
                    self.down.discard(channel)

    async def reconnect(self, timeout: float = 2.0) -> None:
        """Connect the dropped channels again (zmq does not after a refused message) and wait until they are."""
        for channel in self.down:
            socket, url = getattr(self.kc, f"{channel}_channel").socket, self.kc._make_url(channel)
            try:
                socket.disconnect(url)  # forget the dead connection, or connect() does nothing
            except zmq.ZMQError:
                pass
            socket.connect(url)
        deadline = time.monotonic() + timeout
        while self.down and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
            await self.poll()
        await asyncio.sleep(0.05)  # the kernel's PUB socket learns the renewed subscription

    def close(self) -> None:
        """Close the monitor sockets."""
        for monitor in self.monitors.values():
            monitor.close(linger=0)


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


def _death_reason(returncode: int | None, oom_kills: int = 0) -> dict:
    """Return the message saying why the kernel process ended."""
    if oom_kills:
        return message("kernel_memory")
    if returncode is None:
        return message("kernel_unknown")
    code = -returncode if returncode < 0 else returncode - 128 if returncode > 128 else None
    if code == signal.SIGXCPU:
        return message("kernel_cpu")
    if code == signal.SIGKILL:
        return message("kernel_killed")
    if code == signal.SIGXFSZ:
        return message("kernel_file_size")
    if code is not None:
        return message("kernel_signal", signal=code)
    return message("kernel_exit", exit_code=returncode)


def _timeout(run: CellRun, limits: Limits, per_cell: bool) -> None:
    """Mark a cell as stopped by the per-cell or the total time limit."""
    run.status, run.ename = "timeout", "TimeoutError"
    seconds = limits.cell_timeout_s if per_cell else limits.total_timeout_s
    seconds = int(seconds) if float(seconds).is_integer() else seconds  # 10, not 10.0
    run.message = message("timeout_cell" if per_cell else "timeout_total", seconds=seconds)
    run.evalue = f"time limit ({'per cell' if per_cell else 'total'}) exceeded; kernel stopped"


def _died(run: CellRun, ename: str, reason: dict) -> None:
    """Mark a cell whose kernel or harness ended."""
    run.status, run.ename, run.message = "died", ename, reason
    run.evalue = reason["code"]


class Kernel:
    """One sandboxed ipykernel, used for exactly one execution and then destroyed."""

    def __init__(self, mode: str, limits: Limits, run_dir: str, uids: sandbox.UidLeases,
                 zygote: forkserver.ForkServer | None = None):
        self.mode, self.limits, self.uids = mode, limits, uids
        #: The pool's fork server, when this kernel may be forked from it (else a new Python is started).
        self.zygote = zygote
        separate_uids = mode == "bwrap" and os.geteuid() == 0
        self.uid = uids.take() if separate_uids else None
        #: The test harness runs as a uid of its own, so the trainee's code cannot signal or trace it.
        self.harness_uid = uids.take() if separate_uids else None
        self.dir = os.path.join(run_dir, f"k{id(self):x}")
        #: A project grading's commit files (host folder), shown read-only in the sandbox; None for notebooks.
        self.tree_dir: str | None = None
        self.km = None
        self.kc = None
        self.harness: HarnessLink | None = None
        self.drops: _DropWatch | None = None
        #: The cgroup bounding the whole sandbox (None when the host has no usable cgroup).
        self.cgroup: cgroups.Cgroup | None = None
        #: Our end of the lifeline pipe: closing it (destroy, or this process dying in any way, even
        #: SIGKILL) makes the launcher inside kill the sandbox, so no kernel outlives its owner.
        self.lifeline: int | None = None
        #: A kernel forked by the zygote: its supervisor's link (instead of km and the lifeline).
        self.forked: forkserver.ForkedKernel | None = None

    def _use_zygote(self) -> bool:
        """Is this kernel forked from the pool's zygote (same hash seed, a notebook, its own uid)?"""
        return (self.zygote is not None and self.uid is not None and self.tree_dir is None
                and self.limits.hash_seed == self.zygote.hash_seed)

    async def start(self) -> None:
        """Start the sandboxed kernel and wait until it answers."""
        if self._use_zygote():
            await self._start_forked()
            return
        os.makedirs(self.dir, mode=0o700)
        socket_dir = os.path.join(self.dir, "ipc")
        sandbox.prepare_socket_dir(socket_dir, self.uid)
        self.cgroup = cgroups.for_sandbox(f"k{next(_numbers)}", self.limits)
        read_fd = write_fd = seccomp_fd = None
        if self.mode == "bwrap":
            read_fd, write_fd = os.pipe()
            seccomp_fd = seccomp.program_fd()
        lifeline_fd, self.lifeline = os.pipe()  # not inheritable: no other child of ours holds it open
        self.harness = HarnessLink()
        plan = sandbox.SandboxPlan(self.uid, socket_dir, read_fd, self.harness_uid, self.harness.child_fds(),
                                   seccomp_fd, lifeline_fd, self.tree_dir)
        self.km = _SandboxedKernelManager(
            transport="ipc", ip=os.path.join(socket_dir, "kernel"),
            connection_file=os.path.join(self.dir, "kernel.json"),
        )
        self.km.setup_sandbox(self.mode, plan, write_fd, self.limits)
        try:
            await self.km.start_kernel(
                env=sandbox.kernel_env(home=self.dir if self.mode == "none" else "/tmp", hash_seed=self.limits.hash_seed),
                cwd=self.dir if self.mode == "none" else None,
                pass_fds=tuple(fd for fd in (read_fd, seccomp_fd, lifeline_fd) if fd is not None)
                + self.harness.child_fds(),
                # The kernel's own stderr is noise in production; TIC_KERNEL_DEBUG=1 shows it.
                stdout=subprocess.DEVNULL,
                stderr=None if os.environ.get("TIC_KERNEL_DEBUG") else subprocess.DEVNULL,
            )
        finally:
            for fd in (read_fd, seccomp_fd, lifeline_fd):
                if fd is not None:
                    os.close(fd)
        if self.cgroup is not None:
            # Before any trainee code runs: the kernel only executes code once the client sends some.
            self.cgroup.attach_tree(self.km.provisioner.process.pid)
        self.kc = self.km.client()
        # A message bigger than this never reaches our memory: zmq drops the connection at its header instead.
        self.kc.context.setsockopt(zmq.MAXMSGSIZE, self.limits.output_bytes_cell + MESSAGE_SLACK_BYTES)
        # No heartbeat channel: its blocking poll stalls the shared event loop; liveness is polled instead.
        self.kc.start_channels(hb=False)
        self.drops = _DropWatch(self.kc)
        await self.harness.connect()
        await self.kc.wait_for_ready(timeout=START_TIMEOUT_S)
        await self._finish_start(socket_dir)

    async def _finish_start(self, socket_dir: str) -> None:
        """Seal the socket directory, load the agent and wait for the harness's greeting."""
        sandbox.seal_socket_dir(socket_dir, self.uid)
        await self._boot_agent()
        greeting = await asyncio.wait_for(self.harness.receive(), START_TIMEOUT_S)
        if greeting.get("op") != "ready":
            raise HarnessGone("the harness did not greet")

    async def _start_forked(self) -> None:
        """Have the zygote fork the kernel into a sandbox of its own (see inside/zygote.py)."""
        os.makedirs(self.dir, mode=0o700)
        socket_dir = os.path.join(self.dir, "ipc")
        sandbox.prepare_socket_dir(socket_dir, self.uid)
        self.cgroup = cgroups.for_sandbox(f"k{next(_numbers)}", self.limits)
        _, info = write_connection_file(os.path.join(self.dir, "kernel.json"), transport="ipc",
                                        ip=os.path.join(socket_dir, "kernel"))
        self.harness = HarnessLink()
        request = {"uid": self.uid, "harness_uid": self.harness_uid, "socket_dir": socket_dir,
                   "tmpfs_mb": self.limits.tmpfs_mb, "rlimits": sandbox.rlimits(self.limits)}
        self.forked = self.zygote.fork(request, self.harness.child_fds())
        pid = await asyncio.to_thread(self.forked.hello)
        if self.cgroup is not None:
            # Before any trainee code runs: the supervisor forks nothing before "go" (no need to walk /proc).
            self.cgroup.attach(pid)
        self.forked.go(dict(info, ip="/run/tic/grading/ipc/kernel"))
        self.kc = AsyncKernelClient(context=zmq.asyncio.Context())
        self.kc.load_connection_info(info)
        self.kc.context.setsockopt(zmq.MAXMSGSIZE, self.limits.output_bytes_cell + MESSAGE_SLACK_BYTES)
        self.kc.start_channels(hb=False)
        self.drops = _DropWatch(self.kc)
        await self.harness.connect()
        ready = asyncio.ensure_future(self.kc.wait_for_ready(timeout=START_TIMEOUT_S))
        while not ready.done():
            await asyncio.wait([ready], timeout=POLL_S)
            if not ready.done() and not self.forked.poll():
                ready.cancel()
                raise KernelStartError(f"the forked kernel ended while starting (status {self.forked.returncode})")
        await ready
        await self._finish_start(socket_dir)

    async def _boot_agent(self) -> None:
        """Load the agent into the fresh kernel (before any trainee code runs there)."""
        code = AGENT_BOOT.format(inside=sandbox.inside_dir(self.mode), max_answer=self._max_answer())
        msg_id = self.kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        reply = await self._reply(msg_id, timeout=START_TIMEOUT_S)
        if reply is None or reply["content"].get("status") != "ok":
            raise KernelStartError(f"the grading agent did not load: {reply and reply['content']!r}")

    def _max_answer(self) -> int:
        """The largest answer the agent may send: well under the message cap (its text is quoted once more)."""
        return (self.limits.output_bytes_cell + MESSAGE_SLACK_BYTES) // 3

    async def is_alive(self) -> bool:
        """Is the kernel process still running?"""
        if self.forked is not None:
            return self.forked.poll() and self.zygote.serves(self.forked)
        return self.km is not None and await self.km.is_alive()

    async def destroy(self) -> None:
        """Kill the whole sandbox and remove its files."""
        try:
            if self.harness is not None:
                self.harness.close()
            if self.drops is not None:
                self.drops.close()
            if self.kc is not None:
                self.kc.stop_channels()
            if self.forked is not None:
                try:
                    await asyncio.to_thread(self.forked.kill)  # returns once the kernel's processes are gone
                except RuntimeError:  # the interpreter is exiting (atexit): no new threads, do it here
                    self.forked.kill()
                self.forked.close()
                if self.kc is not None:
                    self.kc.context.destroy(linger=0)
            if self.km is not None:
                process = getattr(self.km.provisioner, "process", None)
                if self.km.has_kernel:
                    await self.km.shutdown_kernel(now=True)
                if process is not None and process.poll() is None:
                    # The outer process's death takes the whole sandbox (its pid namespace) with it.
                    process.kill()
                    process.wait(timeout=5)
                self.km.context.destroy(linger=0)
            if self.cgroup is not None:
                try:
                    await asyncio.to_thread(self.cgroup.destroy)  # it may wait for processes to die
                except RuntimeError:  # the interpreter is exiting (atexit): no new threads, do it here
                    self.cgroup.destroy()
                self.cgroup = None
        finally:
            if self.lifeline is not None:
                os.close(self.lifeline)  # whatever failed above, the launcher now ends the sandbox
                self.lifeline = None
            shutil.rmtree(self.dir, ignore_errors=True)
            for uid in (self.uid, self.harness_uid):
                if uid is not None:
                    self.uids.give_back(uid)
            self.uid = self.harness_uid = None

    def _returncode(self) -> int | None:
        """Return the kernel process's exit status, if it has ended."""
        if self.forked is not None:
            self.forked.poll()
            return self.forked.returncode
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
            if is_test(cell):
                await self._run_test(cell, run, limits, budget, deadline)
            else:
                await self._run_cell(cell, run, limits, budget, deadline)
            if run.status in ("timeout", "died"):
                execution.stopped = run.message
                break
        execution.duration_s = time.monotonic() - started
        return execution

    async def _run_cell(self, cell, run: CellRun, limits: Limits, budget: OutputBudget, deadline: float,
                        store_history: bool = True) -> None:
        """Execute one cell in the trainee's kernel, enforcing the wall-clock limits and the output cap."""
        started = time.monotonic()
        cell_deadline = min(started + limits.cell_timeout_s, deadline)
        outputs = CellOutputs(limits.output_bytes_cell, budget)
        await self.drops.poll()
        self.drops.dropped.clear()
        msg_id = self.kc.execute(cell.source, store_history=store_history, allow_stdin=False, stop_on_error=False)
        idle, reply = False, None
        while not idle:
            left = cell_deadline - time.monotonic()
            if left <= 0:
                _timeout(run, limits, cell_deadline < deadline)
                break
            try:
                msg = await self.kc.get_iopub_msg(timeout=min(left, POLL_S))
            except queue.Empty:
                reply = reply or await self._reply(msg_id, timeout=0)
                if reply is not None:
                    break  # IOPub is quiet after the reply: its idle status was dropped under load.
                await self.drops.poll()
                if "shell" in self.drops.dropped and await self._alive_after_drop():
                    run.status, run.ename, run.evalue = "error", "OutputTooLarge", self._too_large()
                    run.message = message("output_too_large", kib=self._too_large_kib())
                    break  # the reply itself was too large: it will never arrive
                if not await self.is_alive():
                    oom_kills = self.cgroup.oom_kills() if self.cgroup else 0
                    _died(run, "KernelDied", _death_reason(self._returncode(), oom_kills))
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
                _died(run, "KernelDied", message("kernel_no_reply"))
        if reply is not None:
            _apply_reply(run, reply)
        await self.drops.poll()
        if self.drops.dropped and run.status != "died" and await self._alive_after_drop():
            outputs.too_large(self._too_large())
            await self.drops.reconnect()
        cell.outputs = outputs.outputs
        run.duration_s = time.monotonic() - started

    async def _run_test(self, cell, run: CellRun, limits: Limits, budget: OutputBudget, deadline: float) -> None:
        """Run a test cell: its setup parts in the trainee's kernel, the rest (the verdict) in the harness."""
        started = time.monotonic()
        cell_deadline = min(started + limits.cell_timeout_s, deadline)
        outputs = CellOutputs(limits.output_bytes_cell, budget)
        run.status = "ok"
        for kind, text in test_segments(cell.source):
            if kind == "setup":
                part = nbformat.v4.new_code_cell(text)
                await self._run_cell(part, run, limits, budget, cell_deadline, store_history=False)
                for output in part.outputs:
                    outputs.outputs.append(output)
                if run.status == "ok":
                    continue
                if run.status == "error":
                    run.message = message("setup_error", ename=run.ename, evalue=run.evalue)
                    run.evalue = f"{run.ename}: {run.evalue}"
                    run.ename = "SetupError"
                break
            await self._run_in_harness(cell, text, run, limits, outputs, cell_deadline, deadline)
            if run.status != "ok":
                break
        cell.outputs = outputs.outputs
        run.duration_s = time.monotonic() - started

    async def _run_in_harness(self, cell, source: str, run: CellRun, limits: Limits, outputs: CellOutputs,
                              cell_deadline: float, deadline: float) -> None:
        """Run test code in the harness, answering its questions about the trainee's values meanwhile."""
        try:
            await self.harness.send({"op": "run", "name": grade_id(cell) or f"sel-{run.index}",
                                     "source": source, "out_cap": limits.output_bytes_cell})
            while True:
                message = await asyncio.wait_for(self.harness.receive(), max(cell_deadline - time.monotonic(), 0))
                if message.get("op") == "done":
                    break
                if message.get("op") != "rpc":
                    raise HarnessGone("harness broke the protocol")
                answer = await self._ask_agent(message.get("req"), cell_deadline)
                if answer is None:
                    raise asyncio.TimeoutError
                await self.harness.send({"op": "rpc_reply", "reply": answer})
        except asyncio.TimeoutError:
            _timeout(run, limits, cell_deadline < deadline)
        except HarnessGone:
            if not await self.is_alive():
                _died(run, "KernelDied", _death_reason(self._returncode()))
            else:
                _died(run, "HarnessDied", message("harness_died"))
        else:
            _apply_harness_result(run, message, outputs)

    async def _ask_agent(self, request, deadline: float) -> dict | None:
        """Relay one question to the trainee's agent; return its answer, or None when time ran out."""
        expression = f"_tic_agent.handle({json.dumps(request)!r})"
        msg_id = self.kc.execute("", silent=True, store_history=False, allow_stdin=False,
                                 user_expressions={"answer": expression})
        while True:
            reply = await self._reply(msg_id, timeout=min(max(deadline - time.monotonic(), 0), POLL_S))
            if reply is not None:
                await self.drops.poll()
                if self.drops.down:
                    await self.drops.reconnect()  # trainee code displayed something over the cap meanwhile
                return _agent_answer(reply, self._max_answer())
            if time.monotonic() >= deadline:
                return None
            if not await self.is_alive():
                raise HarnessGone("the kernel died while answering")
    async def _alive_after_drop(self) -> bool:
        """Is the kernel still alive a moment after a connection dropped (else it died, nothing was too large)?"""
        await asyncio.sleep(0.3)
        return await self.is_alive()

    def _too_large_kib(self) -> int:
        """The size cap of one kernel message, in KiB."""
        return (self.limits.output_bytes_cell + MESSAGE_SLACK_BYTES) // 1024

    def _too_large(self) -> str:
        """Return the marker text (in the cell's output) for a kernel message over the size cap."""
        return TOO_LARGE.format(kib=self._too_large_kib())

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


async def start_kernel(mode: str, limits: Limits, run_dir: str, uids: sandbox.UidLeases,
                       zygote: forkserver.ForkServer | None = None) -> Kernel:
    """Start one sandboxed kernel (forked from the zygote when one is given); on failure clean up and re-raise."""
    kernel = Kernel(mode, limits, run_dir, uids, zygote)
    try:
        await asyncio.wait_for(kernel.start(), START_TIMEOUT_S + 5)
    except BaseException as error:
        await kernel.destroy()
        if isinstance(error, Exception):
            raise KernelStartError(f"sandboxed kernel did not start: {error!r}") from error
        raise
    return kernel


def _agent_answer(reply: dict, max_answer: int) -> dict:
    """Read the agent's answer out of an execute_reply; anything malformed is an error for the test."""
    broken = {"broken": True}  # the harness raises its coded trainee_no_answer error
    expression = reply["content"].get("user_expressions", {}).get("answer", {})
    text = expression.get("data", {}).get("text/plain") if expression.get("status") == "ok" else None
    if not isinstance(text, str) or len(text) > 2 * max_answer:
        return broken
    try:
        answer = json.loads(pysource.literal(text))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return broken
    return answer if isinstance(answer, dict) else broken


def _apply_harness_result(run: CellRun, result: dict, outputs: CellOutputs) -> None:
    """Set a test cell's status and outputs from the harness's verdict."""
    if result.get("stdout"):
        outputs.add({"header": {"msg_type": "stream"}, "content": {"name": "stdout", "text": str(result["stdout"])}})
    if result.get("status") == "ok":
        run.status = "ok"
        return
    run.status, run.ename, run.evalue = "error", str(result.get("ename") or "Error"), str(result.get("evalue") or "")
    run.message = checked(result.get("message"))
    lines = [str(line) for line in result.get("traceback") or []]
    outputs.add({"header": {"msg_type": "error"},
                 "content": {"ename": run.ename, "evalue": run.evalue, "traceback": lines + [f"{run.ename}: {run.evalue}"]}})
