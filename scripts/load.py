"""`make load`: place many orders from concurrent clients through the local stack, then prove that every
accepted order is decided (priced) exactly once and nothing else was.

    python -m scripts.load --orders 3000 --clients 16

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
from scripts.local_cognito import LocalShopper
from scripts.processes import REPO_ROOT
from scripts.run_record import machine

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

    @property
    def lost(self) -> int:
        return sum(1 for order_id in self.accepted_ids if self.stored[order_id] == 0)

    @property
    def duplicated(self) -> int:
        return sum(count - 1 for count in self.decisions.values() if count > 1)

    @property
    def unexpected(self) -> int:
        return len(set(self.stored) - set(self.accepted_ids))

    def summary(self) -> dict[str, float | int]:
        latencies = sorted(self.post_latencies_ms)
        return {
            "orders_sent": self.sent,
            "orders_accepted": len(self.accepted_ids),
            "orders_stored": sum(self.stored.values()),
            "lost": self.lost,
            "duplicated": self.duplicated,
            "unexpected": self.unexpected,
            "non_202_answers": sum(count for status, count in self.statuses.items() if status != 202),
            "accept_rate_per_s": round(len(self.accepted_ids) / self.seconds_to_accept, 1),
            "end_to_end_rate_per_s": round(len(self.accepted_ids) / self.seconds_to_store, 1),
            "post_p50_ms": round(statistics.median(latencies), 1),
            "post_p99_ms": round(latencies[max(0, int(len(latencies) * 0.99) - 1)], 1),
        }


RETRIES = 5  # a 5xx or 429 may have made the order: a client retries with the same key (docs/reliability.md)


def _post_order(api: str, shopper: LocalShopper, run: str, index: int) -> tuple[int, str | None, float]:
    """POST one order as a well-behaved client does: retried with its Idempotency-Key after a 5xx or 429.

    Returns the last answer's status, the order id if accepted, and the latency of the whole exchange (ms).
    """
    body = {"items": [{"productId": PRODUCTS[index % len(PRODUCTS)], "quantity": 1}]}
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
                order_id = json.loads(response.read())["orderId"]
                return response.status, order_id, (time.perf_counter() - started) * 1000
        except urllib.error.HTTPError as error:
            if (error.code < 500 and error.code != 429) or attempt == RETRIES - 1:
                return error.code, None, (time.perf_counter() - started) * 1000
            time.sleep(float(error.headers.get("Retry-After", "1")))  # the back-off the API asks for
    raise AssertionError("unreachable: the last attempt returns")


def run_load(stack: DevStack, orders: int, clients: int, store_deadline_seconds: float = 600) -> LoadReport:
    run = f"load-{uuid.uuid4().hex[:8]}"
    shopper = stack.new_shopper("load")  # every order is one signed-in shopper's
    shopper.headers()  # signed in before the clock starts
    customer_id = shopper.sub
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        answers = list(pool.map(lambda index: _post_order(stack.api, shopper, run, index), range(orders)))
    report = LoadReport(
        sent=orders,
        accepted_ids=[order_id for status, order_id, _ in answers if status == 202 and order_id],
        statuses=Counter(status for status, _, _ in answers),
        post_latencies_ms=[latency for _, _, latency in answers],
        seconds_to_accept=time.perf_counter() - started,
    )
    deadline = time.monotonic() + store_deadline_seconds
    while time.monotonic() < deadline:
        # Cheap check first: scanning the whole table on every poll would slow the processor it waits for.
        if stack.queue_depth() == 0:
            # An order counts once the processor decided it: PENDING is stored by the API before processing.
            decided = [item for item in stack.stored_orders(customer_id) if item["status"] != "PENDING"]
            report.stored = Counter(item["orderId"] for item in decided)
            if report.lost == 0:
                break
        time.sleep(0.2)  # polling interval while the processor drains the queue
    report.seconds_to_store = time.perf_counter() - started
    report.decisions = decisions(stack.output, set(report.accepted_ids))
    return report


def decisions(output: list[str], order_ids: set[str]) -> Counter[str]:
    """How many times the processor's log lines (in `make dev`'s output) report deciding each of `order_ids`."""
    found: Counter[str] = Counter()
    for line in output:
        if '"message":"order processed"' not in line:
            continue
        try:
            record = json.loads(line[line.index("{") :])
        except ValueError:  # not one whole JSON log line: not a decision this check can read
            continue
        if record.get("order_id") in order_ids and record.get("outcome") in {"CONFIRMED", "REJECTED"}:
            found[record["order_id"]] += 1
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    with dev_stack() as stack:
        summary = run_load(stack, args.orders, args.clients).summary()
    print(json.dumps(summary, indent=2))
    record = {"machine": machine(), "orders": args.orders, "clients": args.clients, "summary": summary}
    RESULTS.write_text(json.dumps(record, indent=2) + "\n")
    if summary["lost"] or summary["duplicated"] or summary["unexpected"]:
        raise SystemExit("orders were lost, duplicated or invented")


if __name__ == "__main__":
    main()
