"""`make dev`'s stack end to end over HTTP: moto server, sls offline (API and SQS-fed processor) and the
storefront."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

from tests.support.local_stack import Stack


def request(
    url: str, body: Any = None, headers: dict[str, str] | None = None, method: str | None = None
) -> tuple[int, dict[str, str], Any]:
    data = None if body is None else json.dumps(body).encode()
    all_headers = {"content-type": "application/json", **(headers or {})} if data else dict(headers or {})
    method = method or ("POST" if data else "GET")
    req = urllib.request.Request(url, data=data, headers=all_headers, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, dict(response.headers), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"null")


def wait_for_final_status(
    stack: Stack, order_id: str, deadline_seconds: float = 30, final: frozenset[str] | set[str] = frozenset()
) -> dict[str, Any]:
    final = final or {"CONFIRMED", "REJECTED"}
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        status, _, body = request(f"{stack.api}/orders/{order_id}")
        if status == 200 and body["status"] in final:
            return dict(body)
        assert status == 200, body  # readable (PENDING) from the 202 on, never a 404
        time.sleep(0.05)  # polling interval, not a timing assumption
    raise AssertionError(f"order {order_id} was not processed within {deadline_seconds} s")


def test_orders_are_confirmed_end_to_end(local_stack):
    order_ids = []
    for quantity in (1, 2, 3):
        status, headers, body = request(
            f"{local_stack.api}/orders",
            {"customerId": "smoke", "items": [{"productId": "ceramic-mug", "quantity": quantity}]},
        )
        assert status == 202, body
        assert headers["location"] == f"/orders/{body['orderId']}"
        order_ids.append(body["orderId"])

    totals = [wait_for_final_status(local_stack, order_id)["totalCents"] for order_id in order_ids]

    assert totals == [1400, 2800, 4200]


def test_an_unavailable_product_is_rejected_end_to_end(local_stack):
    _, _, body = request(
        f"{local_stack.api}/orders", {"customerId": "smoke", "items": [{"productId": "burr-grinder", "quantity": 1}]}
    )
    order = wait_for_final_status(local_stack, body["orderId"])
    assert order["status"] == "REJECTED"
    assert "unavailable" in order["rejectionReason"]


def test_a_retried_checkout_makes_one_order(local_stack):
    order = {"customerId": "smoke", "items": [{"productId": "filter-beans-250g", "quantity": 1}]}
    first = request(f"{local_stack.api}/orders", order, {"idempotency-key": "smoke-checkout"})
    second = request(f"{local_stack.api}/orders", order, {"idempotency-key": "smoke-checkout"})
    assert first[0] == second[0] == 202
    assert first[2]["orderId"] == second[2]["orderId"]


def test_an_order_is_pending_at_once_and_can_be_cancelled_from_the_storefront(local_stack):
    order = {"customerId": "smoke", "items": [{"productId": "pour-over-dripper", "quantity": 1}]}
    _, _, accepted = request(f"{local_stack.api}/orders", order)
    status, _, seen = request(f"{local_stack.api}/orders/{accepted['orderId']}")
    assert status == 200
    assert seen["status"] in {"PENDING", "CONFIRMED"}  # the local processor may already have priced it

    status, headers, cancelled = request(
        f"{local_stack.api}/orders/{accepted['orderId']}/cancel", headers={"Origin": local_stack.web}, method="POST"
    )

    assert status == 200, cancelled
    assert cancelled["status"] == "CANCELLED"
    assert headers["access-control-allow-origin"] == local_stack.web
    assert wait_for_final_status(local_stack, accepted["orderId"], final={"CANCELLED"}) == cancelled


def test_bad_input_is_a_quick_4xx_not_a_timeout(local_stack):
    started = time.monotonic()
    status, _, body = request(f"{local_stack.api}/orders", {"customerId": "", "items": []})
    assert status == 422
    assert body["error"]["code"] == "VALIDATION_ERROR"
    assert time.monotonic() - started < 5  # a raising handler would answer only after the function timeout


def test_storefront_and_its_config_are_served(local_stack):
    with urllib.request.urlopen(f"{local_stack.web}/index.html", timeout=10) as response:  # noqa: S310
        assert response.status == 200
        assert b"<html" in response.read().lower()
    status, _, config = request(f"{local_stack.web}/config.json")
    assert status == 200
    pool_id, client_id = local_stack.user_pool()
    cognito = {"region": local_stack.region, "userPoolId": pool_id, "clientId": client_id}
    assert config == {"apiBaseUrl": local_stack.api, "cognito": {**cognito, "endpoint": local_stack.aws_endpoint}}
    status, _, catalog = request(f"{local_stack.web}/catalog/products.json")
    assert status == 200
    assert catalog["products"]


def test_the_api_allows_the_storefront_origin(local_stack):
    preflight = urllib.request.Request(  # noqa: S310
        f"{local_stack.api}/orders",
        method="OPTIONS",
        headers={
            "Origin": local_stack.web,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,idempotency-key",
        },
    )
    with urllib.request.urlopen(preflight, timeout=10) as response:  # noqa: S310
        assert response.headers["access-control-allow-origin"] == local_stack.web
        assert "idempotency-key" in response.headers["access-control-allow-headers"].lower()


def test_logs_are_prefixed_and_carry_the_processor_output(local_stack):
    # Its own order: in a random test order, this test may be the first to run.
    _, _, accepted = request(
        f"{local_stack.api}/orders", {"customerId": "logs", "items": [{"productId": "ceramic-mug", "quantity": 1}]}
    )
    wait_for_final_status(local_stack, accepted["orderId"])
    # The processor logs after its write, so the line may reach the output a moment after GET sees the order.
    assert local_stack.wait_for_output(f'"order_id":"{accepted["orderId"]}"', 10)

    lines = [line for line in local_stack.output if f'"order_id":"{accepted["orderId"]}"' in line]
    assert any('"message":"order processed"' in line for line in lines), lines
    assert all(line.startswith("[sls]") for line in lines)
