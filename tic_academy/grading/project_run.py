"""Running a project's hidden tests the notebook way: pytest in the trusted harness, the trainee's code in a kernel.

One sandbox per grading, started like a notebook's (``kernel.Kernel``): the trainee's ipykernel (uid A)
with the commit's files (read-only) as its working folder and on its ``sys.path``, and the test harness
(``inside/harness.py``, uid B) that receives the hidden tests over its private pipe and runs pytest
in its own process (``inside/project_plugin.py``). Hidden tests reach the trainee's code only through
the ``modul("paket.modul")`` fixture: a handle answered by the agent in the kernel, plain data by value.

The report events come from the harness, never from the trainee's process, so nothing the trainee's code
does (a conftest, a patched ``_pytest``, a forged report, ``os._exit``) can decide its own verdict.
"""
from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import sandbox
from .harness import HarnessGone
from .kernel import START_TIMEOUT_S, Kernel
from .limits import Limits
from .messages import message
from .project_tree import write_files

#: The platform's pytest config, beside the hidden tests (the same name as inside/project_plugin.CONFIG_NAME).
CONFIG_NAME = "tic-pytest.ini"
#: The name the project's ``tests/fixtures.py`` gets beside the hidden tests (inside/project_plugin.FIXTURES_NAME).
FIXTURES_FILE = "project_fixtures.py"
#: Run once in the fresh kernel, before any trainee code: the commit's files become its folder and its path.
TREE_BOOT = ("import os as _o, sys as _s\n_o.chdir({tree!r})\n_s.path.insert(0, {tree!r})\ndel _o, _s\n"
             "_tic_agent.project_root = {tree!r}\n")


def hidden_files(spec, config: str) -> dict[str, str]:
    """The files the harness writes into its private folder: the hidden tests, their fixtures, the config."""
    files = {(FIXTURES_FILE if name == "fixtures.py" else name): text for name, text in spec.hidden.items()}
    files[CONFIG_NAME] = config
    return files


def run_pytest_in_harness(spec, config: str, files: dict[str, bytes], mode: str, limits: Limits,
                          uids: sandbox.UidLeases, public: bool = False) -> tuple[list[dict], str | None]:
    """Grade the files in a fresh sandbox; (report events, why it stopped early or None)."""
    work = Path(tempfile.mkdtemp(prefix="tic-project-"))
    try:
        work.chmod(0o755)  # the kernel's uid reads the tree below (never writes it)
        write_files(files, work / "tree")
        run_dir = work / "run"
        run_dir.mkdir(mode=0o700)
        return _run(_grade(spec, hidden_files(spec, config), str(work / "tree"), mode, limits,
                           str(run_dir), uids, public))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(coroutine):
    """asyncio.run, in a thread of its own when the caller's thread already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


async def _grade(spec, hidden: dict[str, str], tree: str, mode: str, limits: Limits, run_dir: str,
                 uids: sandbox.UidLeases, public: bool = False) -> tuple[list[dict], str | None]:
    """Start the sandbox, run pytest in the harness, answer its questions; always destroy the sandbox."""
    deadline = time.monotonic() + limits.total_timeout_s
    kernel = Kernel(mode, limits, run_dir, uids)
    kernel.tree_dir = tree
    events: list[dict] = []
    try:
        await asyncio.wait_for(kernel.start(), START_TIMEOUT_S + 5)
        inside_tree = sandbox.PROJECT_TREE_MOUNT if mode == "bwrap" else tree
        await _boot_tree(kernel, inside_tree)
        await kernel.harness.send({"op": "pytest", "files": hidden, "test_timeout_s": spec.test_timeout_s,
                                   "trainee_tree": inside_tree if public else None})
        return await asyncio.wait_for(_serve(kernel, events), max(deadline - time.monotonic(), 0))
    except asyncio.TimeoutError:
        return events, message("project_timeout_total", seconds=limits.total_timeout_s)
    finally:
        await kernel.destroy()


async def _boot_tree(kernel: Kernel, tree: str) -> None:
    """Make the commit's files the kernel's working folder and first path entry (no trainee code runs)."""
    msg_id = kernel.kc.execute(TREE_BOOT.format(tree=tree), silent=True, store_history=False, allow_stdin=False)
    reply = await kernel._reply(msg_id, timeout=START_TIMEOUT_S)
    if reply is None or reply["content"].get("status") != "ok":
        raise HarnessGone(f"the project folder could not be set up: {reply and reply['content']!r}")


async def _serve(kernel: Kernel, events: list[dict]) -> tuple[list[dict], str | None]:
    """Relay the harness's questions to the trainee's agent until pytest is done; collect its report."""
    while True:
        try:
            message = await kernel.harness.receive()
        except HarnessGone:
            return events, None  # an incomplete report: the missing tests are not passed
        op = message.get("op")
        if op == "event" and isinstance(message.get("event"), dict):
            events.append(message["event"])
        elif op == "done":
            return events, None
        elif op == "rpc":
            wait = float(message.get("timeout") or START_TIMEOUT_S)
            try:
                answer = await kernel._ask_agent(message.get("req"), time.monotonic() + wait)
            except HarnessGone:
                return events, None  # the trainee's process ended (os._exit, a crash): the run stops here
            if answer is None:
                await _interrupt(kernel)
                answer = {"timeout": True}
            await kernel.harness.send({"op": "rpc_reply", "reply": answer})
        else:
            return events, None


async def _interrupt(kernel: Kernel) -> None:
    """Ask the kernel to interrupt the trainee code that ran past the test's time limit (SIGINT in the kernel)."""
    message = kernel.kc.session.msg("interrupt_request", content={})
    kernel.kc.control_channel.send(message)
    await asyncio.sleep(0)
