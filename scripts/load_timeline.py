"""What `make load` learns while it runs, without loading the stack it measures: when the processor decided each
order (from its own log lines in `make dev`'s output) and how deep the queue was, once a second.

Reading decisions from the log costs moto nothing; a Scan or a per-order GET would slow the processor being
measured (moto serves every AWS call of the stack from one Python process).
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

DECIDED = frozenset({"CONFIRMED", "REJECTED"})
# Powertools' default log timestamp: "2026-12-01 06:31:29,392+0000" (ms resolution, the processor's wall clock).
LOG_TIME_FORMAT = "%Y-%m-%d %H:%M:%S,%f%z"
SAMPLE_SECONDS = 1.0
# Upper bounds of the queue-depth buckets of the throughput-by-depth table (messages waiting or in flight).
DEPTH_BUCKETS = (10, 50, 200, 1000)


def _decision(line: str) -> tuple[str, float] | None:
    """(order id, epoch seconds) if `line` is the processor's log line deciding an order, else None."""
    if '"message":"order processed"' not in line:
        return None
    try:
        record = json.loads(line[line.index("{") :])
    except ValueError:  # not one whole JSON log line: not a decision this check can read
        return None
    if record.get("outcome") not in DECIDED or not isinstance(record.get("order_id"), str):
        return None
    stamp = record.get("timestamp")
    return record["order_id"], datetime.strptime(stamp, LOG_TIME_FORMAT).timestamp() if stamp else float("nan")


@dataclass
class DecisionLog:
    """The processor's decisions read from a growing output, each line parsed once (the list only grows)."""

    times: dict[str, list[float]] = field(default_factory=dict)  # order id -> epoch s of each decision
    _read: int = 0

    def update(self, output: list[str]) -> DecisionLog:
        end = len(output)  # another thread may append meanwhile: read up to here now, the rest next time
        for line in output[self._read : end]:
            found = _decision(line)
            if found:
                self.times.setdefault(found[0], []).append(found[1])
        self._read = end
        return self

    def count(self, order_ids: set[str]) -> int:
        """How many of `order_ids` were decided at least once."""
        return sum(1 for order_id in list(order_ids) if order_id in self.times)


def decision_times(output: list[str], order_ids: set[str]) -> dict[str, list[float]]:
    """Epoch seconds at which the processor logged deciding (CONFIRMED or REJECTED) each of `order_ids`.

    A second entry for one order is a second decision: what a duplicate would be.
    """
    times = DecisionLog().update(output).times
    return {order_id: found for order_id, found in times.items() if order_id in order_ids}


@dataclass(frozen=True)
class Sample:
    seconds: float  # since the first POST
    queue_depth: int  # messages waiting or in flight
    decided: int  # orders of this run decided so far


@dataclass
class Sampler:
    """Samples queue depth and decided orders every SAMPLE_SECONDS in a thread, from `start()` until `stop()`."""

    queue_depth: Callable[[], int]
    decided: Callable[[], int]
    started: float = field(default_factory=time.monotonic)
    samples: list[Sample] = field(default_factory=list)
    _stopped: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self.started = time.monotonic()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            sample = Sample(time.monotonic() - self.started, self.queue_depth(), self.decided())
            self.samples.append(sample)
            if self._stopped.wait(SAMPLE_SECONDS):
                return

    def stop(self) -> None:
        self._stopped.set()
        if self._thread:
            self._thread.join()


def throughput_by_depth(samples: list[Sample]) -> list[dict[str, float | int | str]]:
    """Orders decided per second while the queue held each range of depths (depth at the interval's start)."""
    totals: dict[int, list[float]] = {}
    for before, after in itertools.pairwise(samples):
        bucket = next((bound for bound in DEPTH_BUCKETS if before.queue_depth < bound), 0)
        spent = totals.setdefault(bucket, [0.0, 0.0])
        spent[0] += after.decided - before.decided
        spent[1] += after.seconds - before.seconds
    rows: list[dict[str, float | int | str]] = []
    lower = 0
    for bound in (*DEPTH_BUCKETS, 0):
        if bound in totals:
            decided, seconds = totals[bound]
            label = f"{lower}-{bound - 1}" if bound else f"{DEPTH_BUCKETS[-1]}+"
            rows.append(
                {"queue_depth": label, "seconds": round(seconds, 1), "decided_per_s": round(decided / seconds, 1)}
            )
        lower = bound
    return rows


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (0 < fraction <= 1) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered)) - 1))]
