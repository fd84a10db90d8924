"""CPU time the local stack spends per order, by process role: where `make load`'s orders/s goes.

    before = snapshot(stack.process.pid)
    ...                                   # the measured run
    spent = cpu_seconds_by_role(before, snapshot(stack.process.pid))

Roles are told apart by command line: moto server, the API's and the processor's Python runners (one process
per concurrent invocation, started by serverless-offline), serverless-offline's node process and the rest
of `make dev` (its own Python, the storefront server, shells).
"""

from __future__ import annotations

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

Snapshot = dict[int, tuple[str, float]]  # pid -> (role, user + system CPU seconds so far)


def role_of(command_line: list[str]) -> str:
    """The role (`ROLES`) of a process of the stack from its argv; `OTHER` when none matches."""
    joined = " ".join(command_line)
    return next((role for role, marker in ROLES if marker in joined), OTHER)


def snapshot(root_pid: int) -> Snapshot:
    """CPU seconds (user + system) of `root_pid` and every process below it, each with its role.

    Processes that end while they are read are left out. Raises psutil.NoSuchProcess if `root_pid` is gone.
    """
    root = psutil.Process(root_pid)
    found: Snapshot = {}
    for process in [root, *root.children(recursive=True)]:
        try:
            with process.oneshot():
                times = process.cpu_times()
                found[process.pid] = (role_of(process.cmdline()), times.user + times.system)
        except psutil.NoSuchProcess:
            continue
    return found


def cpu_seconds_by_role(before: Snapshot, after: Snapshot) -> dict[str, float]:
    """CPU seconds each role spent between two snapshots.

    A process started in between counts from zero; one that ended in between is not counted for its last
    interval (serverless-offline keeps its runners for the life of the stack, so under load none ends).
    """
    spent: dict[str, float] = {}
    for pid, (role, seconds) in after.items():
        earlier = before.get(pid, (role, 0.0))[1]
        spent[role] = spent.get(role, 0.0) + max(0.0, seconds - earlier)
    return spent


@dataclass(frozen=True)
class MachineCpu:
    """Busy CPU seconds of the whole machine (every process, ours or not) and its logical CPU count."""

    busy_seconds: float
    cpus: int

    @classmethod
    def now(cls) -> MachineCpu:
        times = psutil.cpu_times()._asdict()
        # As psutil.cpu_percent counts it: guest time is already in user time; idle and I/O wait are not busy.
        busy = sum(value for name, value in times.items() if name not in {"idle", "iowait", "guest", "guest_nice"})
        return cls(busy_seconds=busy, cpus=psutil.cpu_count() or 1)

    def busy_cpus_since(self, earlier: MachineCpu, wall_seconds: float) -> float:
        """Average number of CPUs busy between `earlier` and this reading, over `wall_seconds`."""
        return (self.busy_seconds - earlier.busy_seconds) / wall_seconds if wall_seconds > 0 else 0.0
