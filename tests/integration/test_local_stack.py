"""`make dev`'s stack end to end over HTTP: moto server, sls offline (API and SQS-fed processor) and the
storefront, started on free ports and stopped by this module."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from scripts.processes import BIN, REPO_ROOT, free_port, port_is_free

READY_LINE = "order system running locally"


@dataclass
class Stack:
    api: str
    web: str
    ports: list[int]
    output: list[str]


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    ports = {name: free_port() for name in ("MOTO_PORT", "API_PORT", "WEB_PORT", "OFFLINE_LAMBDA_PORT")}
    env = {**os.environ, **{name: str(port) for name, port in ports.items()}}
    process = subprocess.Popen(
        [str(BIN / "python"), "-m", "scripts.dev"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    ready = threading.Event()

    def drain() -> None:  # keep reading so the pipe never fills and blocks the stack
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if READY_LINE in line:
                ready.set()

    threading.Thread(target=drain, daemon=True).start()
    try:
        assert ready.wait(timeout=120), "make dev never became ready:\n" + "".join(output)
        yield Stack(
            api=f"http://127.0.0.1:{ports['API_PORT']}",
            web=f"http://127.0.0.1:{ports['WEB_PORT']}",
            ports=list(ports.values()),
            output=output,
        )
    finally:
        process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        process.wait(timeout=60)
    assert "stopped every process it started" in "".join(output)
    assert [port for port in ports.values() if not port_is_free(port)] == []


def request(url: str, body: Any = None, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], Any]:
    data = None if body is None else json.dumps(body).encode()
    all_headers = {"content-type": "application/json", **(headers or {})} if data else dict(headers or {})
    req = urllib.request.Request(url, data=data, headers=all_headers, method="POST" if data else "GET")  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, dict(response.headers), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"null")


def wait_for_final_status(stack: Stack, order_id: str, deadline_seconds: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        status, _, body = request(f"{stack.api}/orders/{order_id}")
        if status == 200 and body["status"] in {"CONFIRMED", "REJECTED"}:
            return dict(body)
        assert status in {200, 404}, body
        time.sleep(0.05)  # polling interval, not a timing assumption
    raise AssertionError(f"order {order_id} was not processed within {deadline_seconds} s")


def test_orders_are_confirmed_end_to_end(stack):
    order_ids = []
    for quantity in (1, 2, 3):
        status, headers, body = request(
            f"{stack.api}/orders",
            {"customerId": "smoke", "items": [{"productId": "ceramic-mug", "quantity": quantity}]},
        )
        assert status == 202, body
        assert headers["location"] == f"/orders/{body['orderId']}"
        order_ids.append(body["orderId"])

    totals = [wait_for_final_status(stack, order_id)["totalCents"] for order_id in order_ids]

    assert totals == [1400, 2800, 4200]


def test_an_unavailable_product_is_rejected_end_to_end(stack):
    _, _, body = request(
        f"{stack.api}/orders", {"customerId": "smoke", "items": [{"productId": "burr-grinder", "quantity": 1}]}
    )
    order = wait_for_final_status(stack, body["orderId"])
    assert order["status"] == "REJECTED"
    assert "unavailable" in order["rejectionReason"]


def test_a_retried_checkout_makes_one_order(stack):
    order = {"customerId": "smoke", "items": [{"productId": "filter-beans-250g", "quantity": 1}]}
    first = request(f"{stack.api}/orders", order, {"idempotency-key": "smoke-checkout"})
    second = request(f"{stack.api}/orders", order, {"idempotency-key": "smoke-checkout"})
    assert first[0] == second[0] == 202
    assert first[2]["orderId"] == second[2]["orderId"]


def test_bad_input_is_a_quick_4xx_not_a_timeout(stack):
    started = time.monotonic()
    status, _, body = request(f"{stack.api}/orders", {"customerId": "", "items": []})
    assert status == 422
    assert body["error"]["code"] == "VALIDATION_ERROR"
    assert time.monotonic() - started < 5  # a raising handler would answer only after the function timeout


def test_storefront_and_its_config_are_served(stack):
    with urllib.request.urlopen(f"{stack.web}/index.html", timeout=10) as response:  # noqa: S310
        assert response.status == 200
        assert b"<html" in response.read().lower()
    status, _, config = request(f"{stack.web}/config.json")
    assert status == 200
    assert config == {"apiBaseUrl": stack.api}
    status, _, catalog = request(f"{stack.web}/catalog/products.json")
    assert status == 200
    assert catalog["products"]


def test_the_api_allows_the_storefront_origin(stack):
    preflight = urllib.request.Request(  # noqa: S310
        f"{stack.api}/orders",
        method="OPTIONS",
        headers={
            "Origin": stack.web,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,idempotency-key",
        },
    )
    with urllib.request.urlopen(preflight, timeout=10) as response:  # noqa: S310
        assert response.headers["access-control-allow-origin"] == stack.web
        assert "idempotency-key" in response.headers["access-control-allow-headers"].lower()


def test_logs_are_prefixed_and_carry_the_processor_output(stack):
    text = "".join(stack.output)
    assert "[sls]" in text
    assert '"message":"order processed"' in text
