"""Starts the trainee's kernel and the test harness inside one sandbox, then waits for the kernel.

Run by the sandbox (bubblewrap) as its only command, with one JSON argument::

    {"kernel": [argv...], "harness": [argv...], "harness_fds": [read_fd, write_fd]}

Both argv already switch to their own uid and rlimits (setpriv, prlimit). The harness gets the two
pipe ends to the orchestrator; the kernel gets none of them. When the kernel ends, the harness is
killed and this process exits with the kernel's status (128 + signal number for a signal), so the
orchestrator sees the kernel's death as before. Standard library only.
"""

import json
import os
import subprocess
import sys


def main() -> int:
    """Start both processes; return the kernel's exit status."""
    config = json.loads(sys.argv[1])
    fds = [int(fd) for fd in config.get("harness_fds", [])]
    # stderr is inherited: the orchestrator decides whether it is shown (TIC_KERNEL_DEBUG).
    harness = subprocess.Popen(config["harness"], pass_fds=fds, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL)
    for fd in fds:
        os.close(fd)
    kernel = subprocess.Popen(config["kernel"])
    status = kernel.wait()
    harness.kill()
    harness.wait()
    return 128 - status if status < 0 else status


if __name__ == "__main__":
    sys.exit(main())
