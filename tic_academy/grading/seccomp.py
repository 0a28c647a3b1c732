"""The seccomp filter every sandboxed process runs under (bubblewrap's --seccomp FD)."""

from __future__ import annotations

import errno
import os
import tempfile
import threading

#: System calls a trainee's process never needs: kernel keyrings (shared between reused uids),
#: debugging other processes, new namespaces and mounts, kernel modules, and other kernel attack surface.
DENIED = (
    "add_key", "keyctl", "request_key",
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
    "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
    "mount", "umount2", "pivot_root", "chroot", "unshare", "setns",
    "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
    "swapon", "swapoff", "reboot", "acct", "quotactl", "syslog", "vhangup",
    "name_to_handle_at", "open_by_handle_at", "fanotify_init", "lookup_dcookie",
    "settimeofday", "clock_settime", "clock_adjtime", "sethostname", "setdomainname",
    "iopl", "ioperm",
)

#: clone() flags that would create a namespace (unshare by another name).
NAMESPACE_FLAGS = (
    0x00020000,  # CLONE_NEWNS
    0x02000000,  # CLONE_NEWCGROUP
    0x04000000,  # CLONE_NEWUTS
    0x08000000,  # CLONE_NEWIPC
    0x10000000,  # CLONE_NEWUSER
    0x20000000,  # CLONE_NEWPID
    0x40000000,  # CLONE_NEWNET
)

_lock = threading.Lock()
_program: bytes | None = None


class SeccompUnavailable(RuntimeError):
    """The filter cannot be built here (libseccomp or its Python bindings are missing)."""


def build_filter():
    """Return a libseccomp filter: allow by default, EPERM for DENIED and for other ABIs (i386, x32)."""
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError, RuntimeError) as error:  # OSError/RuntimeError: libseccomp.so.2 is missing
        raise SeccompUnavailable(
            f"seccomp filter unavailable ({error}); install Debian package libseccomp2 and pip package pyseccomp"
        ) from error
    deny = seccomp.ERRNO(errno.EPERM)
    syscall_filter = seccomp.SyscallFilter(seccomp.ALLOW)
    # Only the native ABI is allowed: a 32-bit (int 0x80) or x32 system call would bypass the rules below.
    syscall_filter.set_attr(seccomp.Attr.ACT_BADARCH, deny)
    for name in DENIED:
        if seccomp.resolve_syscall(seccomp.Arch.NATIVE, name) == -1:
            continue  # unknown to this libseccomp version: it cannot be called through it either
        syscall_filter.add_rule(deny, name)
    for flag in NAMESPACE_FLAGS:
        syscall_filter.add_rule(deny, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
    # clone3 passes its flags in memory, out of the filter's sight: ENOSYS makes libc fall back to clone.
    syscall_filter.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    return syscall_filter


def program() -> bytes:
    """Return the compiled BPF program (built once per process)."""
    global _program
    with _lock:
        if _program is None:
            with tempfile.TemporaryFile() as file:
                build_filter().export_bpf(file)
                file.seek(0)
                _program = file.read()
        return _program


def program_fd() -> int:
    """Return a readable pipe holding the BPF program, for one bwrap to read and close."""
    data = program()
    read_fd, write_fd = os.pipe()
    try:
        os.write(write_fd, data)  # a few hundred bytes: far below the pipe's buffer
    finally:
        os.close(write_fd)
    return read_fd
