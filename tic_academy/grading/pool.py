"""A warm pool of pre-started sandboxed kernels, each used once, driven from its own event loop thread."""

from __future__ import annotations

import asyncio
import atexit
import logging
import shutil
import tempfile
import threading

from . import forkserver, sandbox
from .kernel import CellRun, Execution, Kernel, start_kernel
from .limits import Limits
from .messages import message

log = logging.getLogger(__name__)

#: Extra seconds past the total timeout before the pool gives up on an execution itself.
GRACE_S = 10
#: Live kernels allowed beyond the pool size when no cap is configured (cold starts, kernels being replaced).
EXTRA_LIVE = 2


class KernelPool:
    """Keeps `size` kernels started, and never more than `max_live` alive; `execute` is thread-safe."""

    def __init__(self, mode: str = "bwrap", size: int = 2, limits: Limits | None = None, max_live: int | None = None,
                 fork_server: bool = True):
        self.mode, self.size, self.limits = mode, size, limits or Limits()
        self.max_live = max_live or size + EXTRA_LIVE
        if self.max_live <= size:
            # Warm kernels hold their slots while they wait; a cold start would wait for ever.
            raise ValueError(f"the live kernel cap ({self.max_live}) must be larger than the pool size ({size})")
        self._run_dir = tempfile.mkdtemp(prefix="tic-kernels-")
        self._uids = sandbox.UidLeases()
        #: The zygote kernels are forked from (inside/zygote.py); None: each kernel starts a new Python.
        self.zygote: forkserver.ForkServer | None = None
        if fork_server and forkserver.available(mode):
            self.zygote = forkserver.ForkServer(self._run_dir, self.limits)
        elif fork_server:
            log.info("no fork server for sandbox mode %s (it needs bubblewrap as root): each kernel starts a new Python",
                     mode)
        self._live: set[Kernel] = set()
        self._background: set[asyncio.Task] = set()
        self._starting = 0
        self._waiting = 0
        self._closed = False
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="tic-kernel-pool", daemon=True)
        self._thread.start()
        self._ready: asyncio.Queue = self._call(self._make_queue())
        self._slots: asyncio.Semaphore = self._call(self._make_slots())
        self._loop.call_soon_threadsafe(self._refill)
        atexit.register(self.close)

    async def _make_queue(self) -> asyncio.Queue:
        """Create the ready queue inside the pool's loop."""
        return asyncio.Queue()

    async def _make_slots(self) -> asyncio.Semaphore:
        """Create the live kernel slots inside the pool's loop."""
        return asyncio.Semaphore(self.max_live)

    def _call(self, coroutine, timeout: float | None = None):
        """Run a coroutine on the pool's loop and wait for its result from this thread."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def execute(self, nb, indexes: list[int], limits: Limits | None = None) -> Execution:
        """Run the given code cells of nb in a fresh sandboxed kernel; outputs are written into nb."""
        if self._closed:
            raise RuntimeError("kernel pool is closed")
        return self._call(self._execute(nb, indexes, limits or self.limits))

    def close(self) -> None:
        """Kill every kernel and stop the pool's thread (also run at exit)."""
        if self._closed:
            return
        self._closed = True
        try:
            self._call(self._shutdown(), timeout=30)
        finally:
            if self.zygote is not None:
                self.zygote.close()
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
            if not self._thread.is_alive():
                self._loop.close()
            shutil.rmtree(self._run_dir, ignore_errors=True)
            atexit.unregister(self.close)

    # Everything below runs on the pool's loop.

    def _in_background(self, coroutine, cancellable: bool = False) -> None:
        """Run a coroutine as a task the pool keeps track of (kernel starts may be cancelled at close)."""
        task = self._loop.create_task(coroutine)
        task.tic_cancellable = cancellable
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _refill(self) -> None:
        """Start kernels until ready + starting reaches the pool size."""
        # Callers already waiting get a kernel started for them too, so a burst is not served one by one.
        missing = self.size + self._waiting - self._ready.qsize() - self._starting
        for _ in range(max(missing, 0) if not self._closed else 0):
            self._starting += 1
            self._in_background(self._start_into_pool(), cancellable=True)

    async def _start(self, limits: Limits) -> Kernel:
        """Wait for a free slot, start one kernel in it and remember it as live."""
        await self._slots.acquire()
        try:
            if self._closed:
                raise RuntimeError("kernel pool is closed")  # the slot came free because close() killed a kernel
            kernel = await start_kernel(self.mode, limits, self._run_dir, self._uids, self.zygote)
        except BaseException:
            self._slots.release()
            raise
        self._live.add(kernel)
        return kernel

    async def _start_into_pool(self) -> None:
        """Start one kernel for the pool; a failure is handed to the next caller instead."""
        try:
            item = await self._start(self.limits)
        except Exception as error:  # noqa: BLE001 - the caller of execute gets to see it
            log.exception("starting a sandboxed kernel failed")
            item = error
        finally:
            self._starting -= 1
        await self._ready.put(item)

    async def _take(self, limits: Limits) -> Kernel:
        """Return a kernel for one execution: warm when the limits match the pool's, else a cold one."""
        if self.size == 0 or limits.sandbox_key() != self.limits.sandbox_key():
            return await self._start(limits)
        while True:
            self._waiting += 1
            self._refill()
            try:
                item = await self._ready.get()
            finally:
                self._waiting -= 1
            self._refill()
            if isinstance(item, Exception):
                raise item
            if await item.is_alive():
                return item
            await self._destroy(item)

    async def _destroy(self, kernel: Kernel) -> None:
        """Destroy a kernel and forget it."""
        try:
            await kernel.destroy()
        except Exception:  # noqa: BLE001 - a failed cleanup must not fail a grading
            log.exception("destroying a kernel failed")
        finally:
            if kernel in self._live:
                self._live.discard(kernel)
                self._slots.release()

    async def _execute(self, nb, indexes: list[int], limits: Limits) -> Execution:
        """Take a kernel, run the cells, and destroy the kernel in the background."""
        kernel = await self._take(limits)
        try:
            return await asyncio.wait_for(kernel.execute(nb, indexes, limits), limits.total_timeout_s + GRACE_S)
        except asyncio.TimeoutError:
            return Execution(runs=[CellRun(index) for index in indexes], stopped=message("grading_timeout"))
        finally:
            self._in_background(self._destroy(kernel))

    async def _shutdown(self) -> None:
        """Destroy ready, busy and starting kernels."""
        for task in list(self._background):
            if task.tic_cancellable:
                task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        await asyncio.gather(*(self._destroy(kernel) for kernel in list(self._live)), return_exceptions=True)
