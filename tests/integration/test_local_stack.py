"""`make dev`'s stack end to end over HTTP: moto server, sls offline (API and SQS-fed processor, behind the local
JWT authorizer) and the storefront. Every API call is a shopper's, signed in to the local user pool."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from scripts.local_cognito import LocalShopper
from tests.support.local_stack import Stack

# Set by the `shopper` fixture, so that a call without `as_shopper` is that test's shopper's.
_current: list[LocalShopper] = []


@pytest.fixture(autouse=True)
def shopper(local_stack: Stack) -> Iterator[LocalShopper]:
    """Each test's own new shopper: no test sees another's orders."""
    _current.append(local_stack.new_shopper("stack"))
    yield _current[-1]
    _current.pop()


def request(
    url: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    method: str | None = None,
    as_shopper: LocalShopper | None = None,
    anonymous: bool = False,
) -> tuple[int, dict[str, str], Any]:
    """One HTTP call, signed in as `as_shopper` (default: the test's shopper) when the URL is the API's."""
    signed_in = (as_shopper or _current[-1]).headers() if "/orders" in url and not anonymous else {}
    data = None if body is None else json.dumps(body).encode()
    base = {**signed_in, **(headers or {})}
    all_headers = {"content-type": "application/json", **base} if data else base
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
            {"items": [{"productId": "ceramic-mug", "quantity": quantity}]},
        )
        assert status == 202, body
        assert headers["location"] == f"/orders/{body['orderId']}"
        order_ids.append(body["orderId"])

    totals = [wait_for_final_status(local_stack, order_id)["totalCents"] for order_id in order_ids]

    assert totals == [1400, 2800, 4200]


def test_an_unavailable_product_is_rejected_end_to_end(local_stack):
    _, _, body = request(f"{local_stack.api}/orders", {"items": [{"productId": "burr-grinder", "quantity": 1}]})
    order = wait_for_final_status(local_stack, body["orderId"])
    assert order["status"] == "REJECTED"
    assert "unavailable" in order["rejectionReason"]


def test_a_retried_checkout_makes_one_order(local_stack):
    order = {"items": [{"productId": "filter-beans-250g", "quantity": 1}]}
    first = request(f"{local_stack.api}/orders", order, {"idempotency-key": "smoke-checkout"})
    second = request(f"{local_stack.api}/orders", order, {"idempotency-key": "smoke-checkout"})
    assert first[0] == second[0] == 202
    assert first[2]["orderId"] == second[2]["orderId"]


def test_an_order_is_pending_at_once_and_can_be_cancelled_from_the_storefront(local_stack):
    order = {"items": [{"productId": "pour-over-dripper", "quantity": 1}]}
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
    status, _, body = request(f"{local_stack.api}/orders", {"items": []})
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
            "Access-Control-Request-Headers": "authorization,content-type,idempotency-key",
        },
    )
    with urllib.request.urlopen(preflight, timeout=10) as response:  # noqa: S310
        assert response.headers["access-control-allow-origin"] == local_stack.web
        allowed = response.headers["access-control-allow-headers"].lower()
        assert {"authorization", "idempotency-key"} <= {name.strip() for name in allowed.split(",")}


def test_logs_are_prefixed_and_carry_the_processor_output(local_stack):
    # Its own order: in a random test order, this test may be the first to run.
    _, _, accepted = request(f"{local_stack.api}/orders", {"items": [{"productId": "ceramic-mug", "quantity": 1}]})
    wait_for_final_status(local_stack, accepted["orderId"])
    # The processor logs after its write, so the line may reach the output a moment after GET sees the order.
    assert local_stack.wait_for_output(f'"order_id":"{accepted["orderId"]}"', 10)

    lines = [line for line in local_stack.output if f'"order_id":"{accepted["orderId"]}"' in line]
    assert any('"message":"order processed"' in line for line in lines), lines
    assert all(line.startswith("[sls]") for line in lines)


def test_the_api_refuses_a_request_without_a_token(local_stack):
    for method, path in [
        ("POST", "/orders"),
        ("GET", "/orders"),
        ("GET", "/orders/abc"),
        ("POST", "/orders/abc/cancel"),
    ]:
        status, _, body = request(
            f"{local_stack.api}{path}", {} if method == "POST" else None, method=method, anonymous=True
        )
        assert (status, body) == (401, {"message": "Unauthorized"}), (method, path)  # API Gateway's answer


def test_another_shoppers_order_is_not_found_and_cannot_be_cancelled(local_stack, shopper):
    _, _, mine = request(f"{local_stack.api}/orders", {"items": [{"productId": "ceramic-mug", "quantity": 1}]})
    other = local_stack.new_shopper("other")
    order_url = f"{local_stack.api}/orders/{mine['orderId']}"

    assert request(order_url, as_shopper=other)[0] == 404
    assert request(f"{order_url}/cancel", method="POST", as_shopper=other)[0] == 404
    assert request(f"{local_stack.api}/orders", as_shopper=other)[2] == {"orders": [], "nextCursor": None}
    status, _, still_mine = request(order_url)
    assert (status, still_mine["customerId"]) == (200, shopper.sub)
    assert still_mine["status"] != "CANCELLED"


def test_my_orders_list_catches_up_with_a_confirmed_order(local_stack):
    # The 202 answers the order as stored: PENDING, or already CONFIRMED when the local processor (two pollers,
    # an idle queue) decided it before the API's PENDING write, which then changed nothing. The list, read from
    # the index, then catches up to CONFIRMED.
    status, _, accepted = request(f"{local_stack.api}/orders", {"items": [{"productId": "ceramic-mug", "quantity": 3}]})
    assert (status, accepted["status"] in {"PENDING", "CONFIRMED"}) == (202, True), accepted
    wait_for_final_status(local_stack, accepted["orderId"])

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status, _, page = request(f"{local_stack.api}/orders?limit=5")
        assert status == 200, page
        statuses = {order["orderId"]: order["status"] for order in page["orders"]}
        if statuses.get(accepted["orderId"]) == "CONFIRMED":
            break
        time.sleep(0.05)  # polling interval, not a timing assumption
    assert statuses == {accepted["orderId"]: "CONFIRMED"}
    assert page["nextCursor"] is None
