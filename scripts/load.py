"""`make load`: place many orders from concurrent clients through the local stack, then prove that every
accepted order is decided (priced) exactly once and nothing else was; report orders/s end to end, the latency
from POST to the processor's decision, and throughput against queue depth (scripts/load_timeline.py).

    python -m scripts.load --orders 2000 --clients 16

It starts its own `make dev` stack on free ports and stops it at the end.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from scripts.dev_stack import DevStack, dev_stack
from scripts.load_timeline import DecisionLog, Sample, Sampler, decision_times, percentile, throughput_by_depth
from scripts.local_cognito import LocalShopper
from scripts.processes import REPO_ROOT
from scripts.run_record import machine
from scripts.stack_cpu import MachineCpu, cpu_seconds_by_role, snapshot

RESULTS = REPO_ROOT / "bench" / "results" / "load.json"  # docs/reliability.md's load figures (bench/docs.py)
PRODUCTS = ["espresso-beans-1kg", "filter-beans-250g", "ceramic-mug", "pour-over-dripper", "paper-filters-100"]


@dataclass
class LoadReport:
    sent: int
    accepted_ids: list[str]
    statuses: Counter[int]
    post_latencies_ms: list[float]
    seconds_to_accept: float
    seconds_to_store: float = 0.0
    stored: Counter[str] = field(default_factory=Counter)
    # Times the processor reported deciding each order (CONFIRMED or REJECTED), from its log lines: a second
    # decision is what a duplicate would be, since a second write of the same key never adds a row.
    decisions: Counter[str] = field(default_factory=Counter)
    posted_at: dict[str, float] = field(default_factory=dict)  # order id -> epoch s its first POST was sent
    decided_at: dict[str, float] = field(default_factory=dict)  # order id -> epoch s of its first decision
    samples: list[Sample] = field(default_factory=list)
    warm_up_seconds: float = 0.0
    # CPU seconds spent from the first POST until all were decided (polled every 0.2 s), by process role
    # (scripts/stack_cpu.py; this process's own includes its queue-depth sampler), and the whole machine's
    # busy CPUs on average over that time
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    busy_cpus: float = 0.0
    cpus: int = 0

    @property
    def lost(self) -> int:
        return sum(1 for order_id in self.accepted_ids if self.stored[order_id] == 0)

    @property
    def duplicated(self) -> int:
        return sum(count - 1 for count in self.decisions.values() if count > 1)

    @property
    def unexpected(self) -> int:
        return len(set(self.stored) - set(self.accepted_ids))

    def final_latencies_ms(self) -> list[float]:
        """POST sent to the order's decision stored, per decided order (ms; the log's ms resolution)."""
        return [(self.decided_at[key] - self.posted_at[key]) * 1000 for key in self.decided_at if key in self.posted_at]

    def end_to_end_rate(self) -> float:
        """Decided orders per second, from the first POST to the last decision; 0 when none was decided."""
        if not self.decided_at or not self.posted_at:
            return 0.0
        return len(self.decided_at) / (max(self.decided_at.values()) - min(self.posted_at.values()))

    def cpu_per_order(self) -> dict[str, float]:
        """CPU ms per decided order by process role, largest first, with their total; empty if none was decided."""
        if not self.decided_at:
            return {}
        per_order = {role: seconds * 1000 / len(self.decided_at) for role, seconds in self.cpu_seconds.items()}
        ordered = dict(sorted(per_order.items(), key=lambda item: -item[1]))
        return {role: round(ms, 1) for role, ms in {**ordered, "total": sum(per_order.values())}.items()}

    def summary(self) -> dict[str, float | int | None]:
        """Every figure of the run; the decision latencies are None when nothing was decided."""
        latencies = sorted(self.post_latencies_ms)
        final = self.final_latencies_ms()
        return {
            "orders_sent": self.sent,
            "orders_accepted": len(self.accepted_ids),
            "orders_stored": sum(self.stored.values()),
            "lost": self.lost,
            "duplicated": self.duplicated,
            "unexpected": self.unexpected,
            "non_202_answers": sum(count for status, count in self.statuses.items() if status != 202),
            "accept_rate_per_s": round(len(self.accepted_ids) / self.seconds_to_accept, 1),
            "end_to_end_rate_per_s": round(self.end_to_end_rate(), 1),
            "post_p50_ms": round(statistics.median(latencies), 1),
            "post_p99_ms": round(latencies[max(0, int(len(latencies) * 0.99) - 1)], 1),
            "final_p50_ms": round(percentile(final, 0.5)) if final else None,
            "final_p99_ms": round(percentile(final, 0.99)) if final else None,
            "max_queue_depth": max((sample.queue_depth for sample in self.samples), default=0),
            "warm_up_s": round(self.warm_up_seconds, 1),
            "busy_cpus": round(self.busy_cpus, 2),
            "cpus": self.cpus,
        }


RETRIES = 5  # a 5xx or 429 may have made the order: a client retries with the same key (docs/reliability.md)


Answer = tuple[int, str | None, float, float]  # status, order id if accepted, latency ms, epoch s sent


def _post_order(api: str, shopper: LocalShopper, run: str, index: int) -> Answer:
    """POST one order as a well-behaved client does: retried with its Idempotency-Key after a 5xx or 429.

    Returns the last answer's status, the order id if accepted, the latency of the whole exchange (ms) and when
    the first attempt was sent (epoch seconds, to compare with the processor's log timestamps).
    """
    body = {"items": [{"productId": PRODUCTS[index % len(PRODUCTS)], "quantity": 1}]}
    sent = time.time()
    started = time.perf_counter()
    for attempt in range(RETRIES):
        request = urllib.request.Request(  # noqa: S310 - the local stack's loopback URL
            f"{api}/orders",
            data=json.dumps(body).encode(),
            headers={
                "content-type": "application/json",
                "idempotency-key": f"{run}-{index}",
                **shopper.headers(),
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                answer = json.loads(response.read())
            # serverless-offline answers a Lambda timeout with a 200 and no order: as a 5xx, it may have made one.
            if "orderId" in answer or attempt == RETRIES - 1:
                return response.status, answer.get("orderId"), (time.perf_counter() - started) * 1000, sent
        except urllib.error.HTTPError as error:
            if (error.code < 500 and error.code != 429) or attempt == RETRIES - 1:
                return error.code, None, (time.perf_counter() - started) * 1000, sent
            time.sleep(float(error.headers.get("Retry-After", "1")))  # the back-off the API asks for
    raise AssertionError("unreachable: the last attempt returns")


def warm_up(stack: DevStack, clients: int, deadline_seconds: float = 120) -> float:
    """Start the stack's Python processes before the clock; returns the seconds it took.

    A warm-up shopper (not the measured one) places 3 x `clients` orders from `clients` threads and waits for
    their decisions. serverless-offline starts one API process per concurrent request, and 16 importing at once
    on 2 cores take seconds each (a POST caught in that can outlive the API's 10 s timeout); a cold processor
    lets the queue grow meanwhile, and moto's SQS then slows with every message queued.
    """
    started = time.perf_counter()
    shopper = stack.new_shopper("warm-up")
    run = f"warm-{uuid.uuid4().hex[:8]}"
    with ThreadPoolExecutor(max_workers=clients) as pool:
        answers = list(pool.map(lambda index: _post_order(stack.api, shopper, run, index), range(clients * 3)))
    placed = {order_id for _, order_id, _, _ in answers if order_id}
    log, deadline = DecisionLog(), time.monotonic() + deadline_seconds
    while log.update(stack.output).count(placed) < len(placed) and time.monotonic() < deadline:
        time.sleep(0.2)  # polling interval of an in-process list
    return time.perf_counter() - started


def run_load(stack: DevStack, orders: int, clients: int, store_deadline_seconds: float = 600) -> LoadReport:
    run = f"load-{uuid.uuid4().hex[:8]}"
    shopper = stack.new_shopper("load")  # every order is one signed-in shopper's
    shopper.headers()  # signed in before the clock starts
    customer_id = shopper.sub
    warm_up_seconds = warm_up(stack, clients)
    accepted: set[str] = set()  # filled as answers come; the sampler counts their decisions
    log = DecisionLog()
    sampler = Sampler(stack.queue_depth, lambda: log.update(stack.output).count(accepted))
    sampler.start()
    started = time.perf_counter()
    stack_cpu, machine_cpu, client_cpu = snapshot(stack.process.pid), MachineCpu.now(), time.process_time()

    def post(index: int) -> Answer:
        answer = _post_order(stack.api, shopper, run, index)
        if answer[0] == 202 and answer[1]:
            accepted.add(answer[1])
        return answer

    with ThreadPoolExecutor(max_workers=clients) as pool:
        answers = list(pool.map(post, range(orders)))
    report = LoadReport(
        sent=orders,
        accepted_ids=[order_id for status, order_id, _, _ in answers if status == 202 and order_id],
        statuses=Counter(status for status, _, _, _ in answers),
        post_latencies_ms=[latency for _, _, latency, _ in answers],
        seconds_to_accept=time.perf_counter() - started,
        posted_at={order_id: sent for status, order_id, _, sent in answers if status == 202 and order_id},
        warm_up_seconds=warm_up_seconds,
    )
    deadline = time.monotonic() + store_deadline_seconds
    # Wait on the processor's own log lines, which cost the stack nothing, then check the table once.
    while time.monotonic() < deadline and log.update(stack.output).count(accepted) < len(accepted):
        time.sleep(0.2)  # polling interval of an in-process list
    report.seconds_to_store = time.perf_counter() - started
    report.cpu_seconds = {
        **cpu_seconds_by_role(stack_cpu, snapshot(stack.process.pid)),
        "load clients (this process)": time.process_time() - client_cpu,
    }
    machine_now = MachineCpu.now()
    report.busy_cpus, report.cpus = machine_now.busy_cpus_since(machine_cpu), machine_now.cpus
    sampler.stop()
    report.samples = sampler.samples
    # An order counts once the processor decided it: PENDING is stored by the API before processing.
    decided = [item for item in stack.stored_orders(customer_id) if item["status"] != "PENDING"]
    report.stored = Counter(item["orderId"] for item in decided)
    times = decision_times(stack.output, set(report.accepted_ids))
    report.decisions = Counter({order_id: len(found) for order_id, found in times.items()})
    report.decided_at = {order_id: min(found) for order_id, found in times.items()}
    return report


def decisions(output: list[str], order_ids: set[str]) -> Counter[str]:
    """How many times the processor's log lines (in `make dev`'s output) report deciding each of `order_ids`."""
    return Counter({order_id: len(found) for order_id, found in decision_times(output, order_ids).items()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    with dev_stack() as stack:
        report = run_load(stack, args.orders, args.clients)
    summary = report.summary()
    by_depth = throughput_by_depth(report.samples)
    cpu = report.cpu_per_order()
    print(json.dumps({**summary, "cpu_ms_per_decided_order": cpu, "throughput_by_queue_depth": by_depth}, indent=2))
    record = {
        "machine": machine(),
        "orders": args.orders,
        "clients": args.clients,
        "summary": summary,
        "cpu_ms_per_decided_order": cpu,
        "throughput_by_queue_depth": by_depth,
        # seconds since the first POST, queue depth, orders decided so far
        "timeline": [[round(sample.seconds, 1), sample.queue_depth, sample.decided] for sample in report.samples],
    }
    RESULTS.write_text(json.dumps(record, indent=2) + "\n")
    if summary["lost"] or summary["duplicated"] or summary["unexpected"]:
        raise SystemExit("orders were lost, duplicated or invented")


if __name__ == "__main__":
    main()
