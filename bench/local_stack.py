"""Throughput of `make dev`'s stack: N concurrent clients each place an order and poll it until CONFIRMED,
again and again; orders per second end to end and the latency from POST to CONFIRMED.

The stack (moto server, `sls offline` with the SQS-fed processor, the static site) is `python -m scripts.dev`
on free loopback ports, stopped with SIGINT as Ctrl-C would.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from bench.events import ORDER
from bench.stats import percentile, summarise
from scripts.dev_stack import dev_stack
from scripts.load import run_load
from scripts.load_timeline import throughput_by_depth
from scripts.local_cognito import LocalShopper

CONCURRENCY = (1, 4, 8)
ROUNDS = 3
ROUND_SECONDS = 6.0
# A client asks for its order after 10 ms, then backs off (x2, at most every 200 ms), as a storefront would:
# polling at a fixed fast rate would make GETs the load being measured. The gap between two polls is the
# resolution of the latency figures.
FIRST_POLL_SECONDS = 0.01
MAX_POLL_SECONDS = 0.2
ORDER_DEADLINE_SECONDS = 30.0
# Issue 15's goal for the local stack: orders/s end to end (POST to decision) for 2,000 orders from 16 clients,
# each stored exactly once; measured by `make load`'s run (scripts/load.py) on the same stack.
GOAL_ORDERS_PER_SECOND = 100
GOAL_ORDERS = 2000
GOAL_CLIENTS = 16


def _call(url: str, shopper: LocalShopper, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    """One request as `shopper` (their access token, as every /orders route requires); (status, JSON body)."""
    data = None if body is None else json.dumps(body).encode()
    headers = {**shopper.headers(), **({"content-type": "application/json"} if data else {})}
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@dataclass
class Round:
    latencies_ms: list[float] = field(default_factory=list)
    post_ms: list[float] = field(default_factory=list)
    last_done: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


def client(api: str, shopper: LocalShopper, until: float, results: Round) -> None:
    while time.monotonic() < until:
        started = time.monotonic()
        status, accepted = _call(f"{api}/orders", shopper, ORDER)
        posted = time.monotonic()
        if status != 202:
            raise RuntimeError(f"POST answered {status}: {accepted}")
        delay = FIRST_POLL_SECONDS
        while True:
            time.sleep(delay)
            delay = min(delay * 2, MAX_POLL_SECONDS)
            status, order = _call(f"{api}/orders/{accepted['orderId']}", shopper)
            if status == 200 and order["status"] == "CONFIRMED":
                break
            if status not in (200, 404) or time.monotonic() - started > ORDER_DEADLINE_SECONDS:
                raise RuntimeError(f"order {accepted['orderId']} not confirmed: {status} {order}")
        done = time.monotonic()
        with results.lock:
            results.latencies_ms.append((done - started) * 1000)
            results.post_ms.append((posted - started) * 1000)
            results.last_done = max(results.last_done, done)


def run_round(api: str, shoppers: list[LocalShopper]) -> dict[str, float]:
    """One round: each shopper is one client, placing and following orders for ROUND_SECONDS."""
    results = Round()
    started = time.monotonic()
    threads = [
        threading.Thread(target=client, args=(api, shopper, started + ROUND_SECONDS, results)) for shopper in shoppers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if not results.latencies_ms:
        raise RuntimeError("no order completed")
    return {
        "orders": len(results.latencies_ms),
        "orders_per_second": len(results.latencies_ms) / (results.last_done - started),
        "p50_ms": percentile(results.latencies_ms, 0.5),
        "p99_ms": percentile(results.latencies_ms, 0.99),
        "post_p50_ms": percentile(results.post_ms, 0.5),
    }


def measure() -> dict[str, Any]:
    results: dict[str, Any] = {
        "poll_seconds": [FIRST_POLL_SECONDS, MAX_POLL_SECONDS],
        "round_seconds": ROUND_SECONDS,
        "by_clients": {},
    }
    with dev_stack() as stack:
        api = stack.api
        # One signed-in shopper per client, as real clients are; signed in before any clock starts.
        shoppers = [stack.new_shopper(f"bench-{index}") for index in range(max(CONCURRENCY))]
        for shopper in shoppers:
            shopper.headers()
        run_round(api, shoppers[:2])  # warm-up: the offline runners start their Python processes on first use
        for clients in CONCURRENCY:
            rounds = [run_round(api, shoppers[:clients]) for _ in range(ROUNDS)]
            results["by_clients"][str(clients)] = {
                key: summarise(round_[key] for round_ in rounds).as_dict() for key in rounds[0]
            }
        load = run_load(stack, GOAL_ORDERS, GOAL_CLIENTS)
        results["goal_run"] = {
            "orders": GOAL_ORDERS,
            "clients": GOAL_CLIENTS,
            "goal_orders_per_second": GOAL_ORDERS_PER_SECOND,
            "summary": load.summary(),
            "cpu_ms_per_decided_order": load.cpu_per_order(),
            "throughput_by_queue_depth": throughput_by_depth(load.samples),
        }
    return results
