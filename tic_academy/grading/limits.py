"""Resource limits for one grading, with defaults and per-exercise overrides."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

MIB = 1024 * 1024

#: An idle ipykernel already maps ~790 MB, so less address space than this breaks it.
MIN_MEMORY_MB = 2048
#: An idle ipykernel uses ~60 MB of real memory; a total bound below this leaves no room for trainee code.
MIN_TOTAL_MEMORY_MB = 256


@dataclass(frozen=True)
class Limits:
    """Limits of one grading; the `sandbox_*` part is fixed when the kernel starts."""

    cell_timeout_s: float = 10.0
    total_timeout_s: float = 60.0
    output_bytes_cell: int = 64 * 1024
    output_bytes_total: int = 512 * 1024
    # Applied by the sandbox at kernel start (prlimit / tmpfs size / cgroup):
    memory_mb: int = MIN_MEMORY_MB  # address space of each process (rlimit)
    total_memory_mb: int = 1024  # real memory of the whole sandbox together (cgroup, when the host has one)
    cpus: float = 1.0  # CPUs the whole sandbox may use at once (cgroup)
    cpu_s: int = 60
    processes: int = 64  # per uid (rlimit) and, with a cgroup, tasks of the whole sandbox
    file_mb: int = 32
    open_files: int = 256
    tmpfs_mb: int = 64
    #: PYTHONHASHSEED of the kernel: a fixed seed makes set/dict-of-str order, and so grading, repeatable.
    hash_seed: int = 0

    def __post_init__(self):
        if self.memory_mb < MIN_MEMORY_MB:
            raise ValueError(f"memory_mb must be at least {MIN_MEMORY_MB} (an idle kernel maps ~790 MB)")
        if self.total_memory_mb < MIN_TOTAL_MEMORY_MB:
            raise ValueError(f"total_memory_mb must be at least {MIN_TOTAL_MEMORY_MB}")
        if self.cpus <= 0:
            raise ValueError("cpus must be positive")
        if self.cell_timeout_s <= 0 or self.total_timeout_s <= 0:
            raise ValueError("timeouts must be positive")

    def sandbox_key(self) -> tuple:
        """Return the part of the limits a pre-started kernel already carries."""
        return (self.memory_mb, self.total_memory_mb, self.cpus, self.cpu_s, self.processes, self.file_mb,
                self.open_files, self.tmpfs_mb, self.hash_seed)

    def merged(self, overrides: Mapping | None) -> Limits:
        """Return these limits with an exercise's overrides (a dict of field names) applied."""
        if not overrides:
            return self
        names = {field.name for field in dataclasses.fields(self)}
        unknown = set(overrides) - names
        if unknown:
            raise ValueError(f"unknown limit(s): {', '.join(sorted(unknown))}")
        return dataclasses.replace(self, **overrides)
