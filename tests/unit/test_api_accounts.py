"""Orders belong to the signed-in shopper: the customer is the verified token's `sub`, and every read, list and
change is of the caller's own orders. Events are shaped as API Gateway's JWT authorizer passes them."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from orders.models import Order, OrderStatus
from services.api.handler import lambda_handler
from tests.support.events import (
    OTHER_SHOPPER,
    SHOPPER,
    LambdaContext,
    get_order_event,
    http_api_event,
    post_order_event,
)

ORDER = {"items": [{"productId": "ceramic-mug", "quantity": 1}]}


def call(event: dict[str, Any]) -> tuple[int, dict[str, str], dict[str, Any]]:
    response = lambda_handler(event, LambdaContext())
    return response["statusCode"], response.get("headers", {}), json.loads(response["body"])


def place(customer: str = SHOPPER, key: str | None = None, order: dict[str, Any] = ORDER) -> dict[str, Any]:
    status, _, body = call(post_order_event(order, {"idempotency-key": key} if key else None, customer=customer))
    assert status == 202, body
    return body


def listing(customer: str = SHOPPER, **query: str) -> tuple[int, dict[str, Any]]:
    status, _, body = call(http_api_event("GET", "/orders", "GET /orders", query=query, customer=customer))
    return status, body


def cancel(order_id: str, customer: str) -> tuple[int, dict[str, Any]]:
    path = f"/orders/{order_id}/cancel"
    status, _, body = call(http_api_event("POST", path, "POST /orders/{orderId}/cancel", customer=customer))
    return status, body


EVERY_ROUTE = [
    pytest.param(lambda customer: post_order_event(ORDER, customer=customer), id="POST /orders"),
    pytest.param(lambda customer: http_api_event("GET", "/orders", "GET /orders", customer=customer), id="GET /orders"),
    pytest.param(lambda customer: get_order_event("abc", customer=customer), id="GET /orders/{orderId}"),
    pytest.param(
        lambda customer: http_api_event(
            "POST", "/orders/abc/cancel", "POST /orders/{orderId}/cancel", customer=customer
        ),
        id="POST /orders/{orderId}/cancel",
    ),
    pytest.param(
        lambda customer: http_api_event("DELETE", "/orders/abc", "DELETE /orders/{orderId}", customer=customer),
        id="DELETE /orders/{orderId} (a 405 otherwise)",
    ),
]


@pytest.mark.parametrize("event_for", EVERY_ROUTE)
def test_a_request_without_claims_is_a_401_on_every_route(aws, event_for):
    # Defence in depth: API Gateway's authorizer answers this first, unless a route is ever left without it.
    status, headers, body = call(event_for(None))

    assert status == 401
    assert headers["WWW-Authenticate"] == "Bearer"
    assert body["error"]["code"] == "UNAUTHORIZED"
    assert aws.queued_messages() == []


def _with_claims(**claims: str | None) -> dict[str, Any]:
    event = post_order_event(ORDER)
    stored = event["requestContext"]["authorizer"]["jwt"]["claims"]
    for name, value in claims.items():
        if value is None:
            stored.pop(name)
        else:
            stored[name] = value
    return event


@pytest.mark.parametrize(
    "event",
    [
        pytest.param(_with_claims(token_use="id"), id="an-id-token"),
        pytest.param(_with_claims(token_use=None), id="no-token_use"),
        pytest.param(_with_claims(sub=None), id="no-sub"),
        pytest.param(_with_claims(sub=""), id="empty-sub"),
        pytest.param(_with_claims(sub=" padded "), id="padded-sub"),
        pytest.param(_with_claims(sub="a\u0000b"), id="control-character-in-sub"),
        pytest.param(_with_claims(sub="x" * 129), id="overlong-sub"),
    ],
)
def test_claims_that_name_no_shopper_are_a_401(aws, event):
    status, _, body = call(event)
    assert (status, body["error"]["code"]) == (401, "UNAUTHORIZED")
    assert aws.queued_messages() == []


def test_authentication_is_checked_before_the_body(aws):
    status, _, _ = call(post_order_event("{not json", raw=True, customer=None))
    assert status == 401


def test_the_order_is_the_shoppers_in_the_table_and_on_the_queue(aws):
    placed = place(OTHER_SHOPPER)

    assert placed["customerId"] == OTHER_SHOPPER
    assert json.loads(aws.queued_messages()[0]["Body"])["customerId"] == OTHER_SHOPPER
    status, _, stored = call(get_order_event(placed["orderId"], customer=OTHER_SHOPPER))
    assert (status, stored["customerId"]) == (200, OTHER_SHOPPER)


def test_another_shoppers_order_is_answered_as_a_missing_one(aws):
    order_id = place(SHOPPER)["orderId"]

    theirs = call(get_order_event(order_id, customer=OTHER_SHOPPER))
    missing = call(get_order_event("no-such-order", customer=OTHER_SHOPPER))

    assert theirs[0] == missing[0] == 404
    assert theirs[2]["error"]["code"] == missing[2]["error"]["code"] == "ORDER_NOT_FOUND"
    assert set(theirs[1]) == set(missing[1])  # the same headers: nothing tells the two apart
    assert call(get_order_event(order_id, customer=SHOPPER))[0] == 200


def test_another_shoppers_order_cannot_be_cancelled(aws):
    order_id = place(SHOPPER)["orderId"]

    status, body = cancel(order_id, OTHER_SHOPPER)

    assert (status, body["error"]["code"]) == (404, "ORDER_NOT_FOUND")
    _, _, order = call(get_order_event(order_id, customer=SHOPPER))
    assert order["status"] == "PENDING"
    assert "cancelledAt" not in order or order["cancelledAt"] is None
    assert cancel(order_id, SHOPPER)[1]["status"] == "CANCELLED"


def test_two_shoppers_with_the_same_key_get_two_orders(aws):
    mine = place(SHOPPER, key="checkout-1")
    theirs = place(OTHER_SHOPPER, key="checkout-1", order={"items": [{"productId": "burr-grinder", "quantity": 1}]})

    assert mine["orderId"] != theirs["orderId"]
    assert (mine["customerId"], theirs["customerId"]) == (SHOPPER, OTHER_SHOPPER)
    assert len(aws.queued_messages()) == 2
    # Each key still names its shopper's order: a retry answers it, unchanged.
    assert place(SHOPPER, key="checkout-1")["orderId"] == mine["orderId"]


def test_the_list_holds_the_callers_orders_newest_first_pending_included(aws):
    mine = [place(SHOPPER)["orderId"] for _ in range(3)]
    place(OTHER_SHOPPER)

    status, page = listing()

    assert status == 200
    assert [order["orderId"] for order in page["orders"]] == mine[::-1]
    assert {order["status"] for order in page["orders"]} == {"PENDING"}
    assert {order["customerId"] for order in page["orders"]} == {SHOPPER}
    assert page["nextCursor"] is None


def test_a_shopper_without_orders_gets_an_empty_list(aws):
    place(SHOPPER)
    assert listing(OTHER_SHOPPER) == (200, {"orders": [], "nextCursor": None})


def test_pages_follow_each_other_without_gaps_or_repeats(aws):
    placed = [place()["orderId"] for _ in range(5)]

    seen: list[str] = []
    pages = 0
    cursor: dict[str, str] = {}
    while True:
        status, page = listing(limit="2", **cursor)
        assert status == 200, page
        assert len(page["orders"]) <= 2
        seen += [order["orderId"] for order in page["orders"]]
        pages += 1
        if page["nextCursor"] is None:
            break
        cursor = {"cursor": page["nextCursor"]}

    assert seen == placed[::-1]
    assert pages == 3  # 2 + 2 + 1: the last page is known to be the last, with no empty page after it


def test_a_full_last_page_says_it_is_the_last(aws):
    for _ in range(2):
        place()
    _, page = listing(limit="2")
    assert (len(page["orders"]), page["nextCursor"]) == (2, None)


def test_twenty_orders_make_a_page_by_default(aws):
    for _ in range(21):
        place()
    _, page = listing()
    assert len(page["orders"]) == 20
    assert page["nextCursor"] is not None


@pytest.mark.parametrize("limit", ["0", "51", "-1", "ten", "2.5", ""])
def test_a_limit_outside_1_to_50_is_a_422(aws, limit):
    status, body = listing(limit=limit)
    assert status == 422, body
    assert body["error"]["details"][0]["loc"][:2] == ["query", "limit"]


def _cursor_of(customer: str) -> str:
    for _ in range(2):
        place(customer)
    _, page = listing(customer, limit="1")
    cursor: str = page["nextCursor"]
    return cursor


def _encoded(document: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(document).encode()).decode().rstrip("=")


def _decoded(cursor: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    return document


def test_another_shoppers_cursor_is_a_422_not_their_orders(aws):
    theirs = _cursor_of(OTHER_SHOPPER)
    place(SHOPPER)

    status, body = listing(SHOPPER, cursor=theirs)

    assert status == 422
    assert body["error"]["details"][0]["loc"] == ["query", "cursor"]
    assert "orders" not in body
    # The same answer as any other cursor this API did not give this shopper: it confirms nothing.
    _, garbage = listing(SHOPPER, cursor="garbage")
    assert body["error"]["details"] == garbage["error"]["details"]


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda cursor: "not a cursor", id="garbage"),
        pytest.param(lambda cursor: cursor[:-3], id="truncated"),
        pytest.param(lambda cursor: cursor + "!", id="not-base64url"),
        pytest.param(lambda cursor: _encoded([1, 2]), id="not-an-object"),
        pytest.param(lambda cursor: _encoded({**_decoded(cursor), "extra": 1}), id="an-extra-field"),
        pytest.param(lambda cursor: _encoded({**_decoded(cursor), "created_at": "yesterday"}), id="not-a-time"),
        pytest.param(lambda cursor: _encoded({**_decoded(cursor), "order_id": "a/b"}), id="not-an-order-id"),
        pytest.param(lambda cursor: _encoded({**_decoded(cursor), "owner": SHOPPER}), id="owner-in-clear"),
        pytest.param(lambda cursor: base64.urlsafe_b64encode(b"\xff\xfe").decode(), id="not-utf8"),
        pytest.param(lambda cursor: "x" * 1025, id="overlong"),
        pytest.param(lambda cursor: cursor + "=====", id="padding-appended"),
        pytest.param(
            lambda cursor: _encoded({**_decoded(cursor), "created_at": "2026-99-99T99:99:99.999999Z"}),
            id="no-such-time",
        ),
        pytest.param(
            lambda cursor: _encoded({**_decoded(cursor), "created_at": "٢٠٢٦-12-01T06:38:03.514185Z"}),
            id="non-ascii-digits",
        ),
        pytest.param(
            lambda cursor: _encoded({**_decoded(cursor), "created_at": "2026-12-01T06:38:03.514185+00:00"}),
            id="not-the-stored-form",
        ),
    ],
)
def test_a_tampered_cursor_is_a_422(aws, tamper):
    cursor = _cursor_of(SHOPPER)
    status, body = listing(SHOPPER, cursor=tamper(cursor))
    assert status == 422, body
    assert body["error"]["code"] == "VALIDATION_ERROR"
    assert body["error"]["details"][0]["loc"][:2] == ["query", "cursor"]


def test_a_cursor_holds_no_customer_id(aws):
    assert SHOPPER not in json.dumps(_decoded(_cursor_of(SHOPPER)))


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 12, 1, 12, 0, 0, tzinfo=UTC),
        datetime(2026, 12, 1, 12, 0, 0, 500000, tzinfo=UTC),
        datetime(2026, 12, 1, 13, 0, 0, 1, tzinfo=timezone(timedelta(hours=1))),
    ],
)
def test_times_are_written_in_one_fixed_width_form_so_text_order_is_time_order(moment):
    # The list's index sorts createdAt as text: pydantic's own form drops a zero fraction, and
    # "12:00:00Z" would sort after "12:00:00.5Z".
    order = Order(
        order_id="a", customer_id=SHOPPER, status=OrderStatus.PENDING, items=[], created_at=moment, updated_at=moment
    )
    written = order.model_dump(mode="json", by_alias=True)["createdAt"]
    assert len(written) == len("2026-12-01T12:00:00.000000Z")
    assert written.endswith("Z")
    assert datetime.fromisoformat(written) == moment
    later = order.model_copy(update={"created_at": moment + timedelta(microseconds=1)})
    assert later.model_dump(mode="json", by_alias=True)["createdAt"] > written


def test_the_functions_own_401_asks_the_caller_to_sign_in(aws):
    # The whole answer, as a client reads it: the challenge, and a message saying what is missing.
    response = lambda_handler(get_order_event("abc", customer=None), LambdaContext())

    assert response == {
        "statusCode": 401,
        "headers": {"Content-Type": "application/json", "WWW-Authenticate": "Bearer"},
        "body": json.dumps(
            {"error": {"code": "UNAUTHORIZED", "message": "Sign in: this API needs a valid access token"}},
            separators=(",", ":"),
        ),
        "isBase64Encoded": False,
    }
