"""GET /orders' cursor: it reads back as the place it was made from, and every refused one gets the same answer.

Found unpinned by mutation testing (docs/testing.md): the messages a client reads in the 422's `details`.
"""

from __future__ import annotations

import json
from typing import Any

from orders.models import CustomerOrderKey
from services.api.handler import lambda_handler
from services.api.ordering import _decode_cursor, _encode_cursor
from tests.support.events import OTHER_SHOPPER, SHOPPER, LambdaContext, http_api_event, post_order_event


def test_every_cursor_reads_back_as_the_key_it_was_made_from():
    keys = [CustomerOrderKey(f"2026-12-01T12:00:{i % 60:02}.{i:06}Z", f"order-{i}") for i in range(300)]

    cursors = [_encode_cursor(key, SHOPPER) for key in keys]

    assert [_decode_cursor(cursor, SHOPPER) for cursor in cursors] == keys
    assert not any("=" in cursor for cursor in cursors)  # no padding: nothing for a client to escape in a URL
    # The keys cover every padding length dropped (none, "==", "="), each put back before decoding.
    assert {len(cursor) % 4 for cursor in cursors} == {0, 2, 3}


def _list(customer: str, **query: str) -> tuple[int, dict[str, Any]]:
    response = lambda_handler(
        http_api_event("GET", "/orders", "GET /orders", query=query, customer=customer), LambdaContext()
    )
    return response["statusCode"], json.loads(response["body"])


def _refusal(message: str) -> dict[str, Any]:
    return {
        "error": {
            "code": "VALIDATION_ERROR",
            "message": "Request validation failed",
            "details": [{"loc": ["query", "cursor"], "msg": message, "type": "invalid_cursor"}],
        }
    }


REFUSED = _refusal("this cursor was not given to you by this API")


def test_a_cursor_not_made_by_the_api_is_refused_saying_so(aws):
    assert _list(SHOPPER, cursor="not-a-cursor") == (422, REFUSED)


def test_another_shoppers_cursor_gets_the_same_answer_as_any_other_refused_one(aws):
    for _ in range(2):
        lambda_handler(post_order_event({"items": [{"productId": "ceramic-mug", "quantity": 1}]}), LambdaContext())
    status, page = _list(SHOPPER, limit="1")
    assert status == 200, page

    assert _list(OTHER_SHOPPER, cursor=page["nextCursor"]) == (422, REFUSED)  # it confirms nothing
