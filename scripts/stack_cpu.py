"""CPU time the local stack spends per order, by process role: where `make load`'s orders/s goes.

    before = snapshot(stack.process.pid)
    ...                                   # the measured run
    spent = cpu_seconds_by_role(before, snapshot(stack.process.pid))

Roles are told apart by command line: moto server, the API's and the processor's Python runners (one process
per concurrent invocation, started by serverless-offline), serverless-offline's node process and the rest
of `make dev` (its own Python, the storefront server, shells).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import psutil

# (role, a text only that role's command line holds), first match wins
ROLES = (
    ("moto server", "scripts.local_moto_server"),
    ("api: Python runners", "services/api/handler"),
    ("processor: Python runners", "services/processor/handler"),
    ("serverless-offline (node)", "sls offline"),
)
OTHER = "rest of make dev"
ENDED = "processes that ended meanwhile"


@dataclass(frozen=True)
class ProcessCpu:
    """One process's role, its own CPU seconds (user + system) and those of the children it has reaped."""

    role: str
    own_seconds: float
    reaped_seconds: float


Snapshot = dict[int, ProcessCpu]  # pid -> its CPU so far


def role_of(command_line: list[str]) -> str:
    """The role (`ROLES`) of a process of the stack from its argv; `OTHER` when none matches."""
    joined = " ".join(command_line)
    return next((role for role, marker in ROLES if marker in joined), OTHER)


def snapshot(root_pid: int) -> Snapshot:
    """The CPU time of `root_pid` and of every process below it, each with its role.

    Processes that end while they are read are left out. Raises psutil.NoSuchProcess if `root_pid` is gone.
    """
    root = psutil.Process(root_pid)
    found: Snapshot = {}
    for process in [root, *root.children(recursive=True)]:
        try:
            with process.oneshot():
                times = process.cpu_times()
                found[process.pid] = ProcessCpu(
                    role_of(process.cmdline()),
                    times.user + times.system,
                    times.children_user + times.children_system,
                )
        except psutil.NoSuchProcess:
            continue
    return found


def cpu_seconds_by_role(before: Snapshot, after: Snapshot) -> dict[str, float]:
    """CPU seconds each role spent between two snapshots, and `ENDED`'s when processes ended meanwhile.

    A process started in between counts from zero. One that ended in between (serverless-offline stops a
    runner idle for 60 s) is found in the CPU its parent reaped, its whole life's; what it had spent by the
    first snapshot, counted there already, is taken off.
    """
    spent: dict[str, float] = {}
    for pid, now in after.items():
        earlier = before.get(pid, ProcessCpu(now.role, 0.0, 0.0))
        spent[now.role] = spent.get(now.role, 0.0) + max(0.0, now.own_seconds - earlier.own_seconds)
    reaped = sum(
        max(0.0, now.reaped_seconds - before[pid].reaped_seconds) for pid, now in after.items() if pid in before
    )
    counted_before = sum(process.own_seconds for pid, process in before.items() if pid not in after)
    if reaped - counted_before > 0:
        spent[ENDED] = reaped - counted_before
    return spent


@dataclass(frozen=True)
class MachineCpu:
    """Busy CPU seconds of the whole machine (every process, ours or not), when they were read (monotonic
    seconds) and its logical CPU count."""

    busy_seconds: float
    at: float
    cpus: int

    @classmethod
    def now(cls) -> MachineCpu:
        times = psutil.cpu_times()._asdict()
        # As psutil.cpu_percent counts it: guest time is already in user time; idle and I/O wait are not busy.
        busy = sum(value for name, value in times.items() if name not in {"idle", "iowait", "guest", "guest_nice"})
        return cls(busy_seconds=busy, at=time.monotonic(), cpus=psutil.cpu_count() or 1)

    def busy_cpus_since(self, earlier: MachineCpu) -> float:
        """Average number of CPUs busy between `earlier` and this reading (0 if no time passed)."""
        elapsed = self.at - earlier.at
        return (self.busy_seconds - earlier.busy_seconds) / elapsed if elapsed > 0 else 0.0
