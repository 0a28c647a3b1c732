"""Starts the trainee's kernel and the test harness inside one sandbox, then waits for the kernel.

Run by the sandbox (bubblewrap) as its only command, with one JSON argument::

    {"kernel": [argv...], "harness": [argv...], "harness_fds": [read_fd, write_fd], "lifeline_fd": fd}

Both argv already switch to their own uid and rlimits (setpriv, prlimit). The harness gets the two
pipe ends to the orchestrator; the kernel gets none of them. When the kernel ends, the harness is
killed and this process exits with the kernel's status (128 + signal number for a signal), so the
orchestrator sees the kernel's death as before.

The lifeline is the read end of a pipe whose only write end the orchestrator holds: it reads EOF
when the orchestrator closes it or dies in any way (even SIGKILL). Then this process kills both
children and exits, which ends the sandbox (its pid namespace) too. Standard library only.
"""

import json
import os
import signal
import subprocess
import sys
import threading

#: Exit status when the orchestrator went away (as if killed by SIGKILL).
ORPHANED = 128 + signal.SIGKILL


def _kill(process: subprocess.Popen) -> None:
    """Kill a child (in the sandbox, the pid namespace ends whatever it started once we exit)."""
    try:
        process.kill()
    except OSError:
        pass


def _watch_lifeline(fd: int, children: list) -> None:
    """Block until the orchestrator's end of the lifeline closes, then kill the children and exit."""
    try:
        while os.read(fd, 1):
            pass
    except OSError:
        pass
    for child in children:
        _kill(child)
    os._exit(ORPHANED)


def main() -> int:
    """Start both processes; return the kernel's exit status."""
    config = json.loads(sys.argv[1])
    fds = [int(fd) for fd in config.get("harness_fds", [])]
    lifeline = config.get("lifeline_fd")
    children = []
    if lifeline is not None:
        # Started first: an orchestrator that dies while the kernel starts leaves nothing either.
        threading.Thread(target=_watch_lifeline, args=(int(lifeline), children), daemon=True).start()
    # stderr is inherited: the orchestrator decides whether it is shown (TIC_KERNEL_DEBUG).
    harness = subprocess.Popen(config["harness"], pass_fds=fds, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL)
    children.append(harness)
    for fd in fds:
        os.close(fd)
    kernel = subprocess.Popen(config["kernel"])
    children.append(kernel)
    status = kernel.wait()
    _kill(harness)
    harness.wait()
    return 128 - status if status < 0 else status


if __name__ == "__main__":
    sys.exit(main())
