"""Hard inputs at the edges, over real HTTP through serverless-offline: each one a quick 4xx with a clear,
machine-readable error, and no order created. Each test is a new shopper's, signed in to the local pool."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

import pytest

from scripts.dev_stack import DevStack
from scripts.local_cognito import LocalShopper

LINE = {"productId": "ceramic-mug", "quantity": 1}


@pytest.fixture
def shopper(local_stack: DevStack) -> LocalShopper:
    return local_stack.new_shopper("hard")


def raw_post(
    stack: DevStack, shopper: LocalShopper, body: bytes, content_type: str | None = "application/json"
) -> tuple[int, dict[str, Any], float]:
    headers = {**shopper.headers(), **({"content-type": content_type} if content_type else {})}
    request = urllib.request.Request(f"{stack.api}/orders", data=body, headers=headers, method="POST")  # noqa: S310
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            status, text = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read()
    return status, json.loads(text), time.monotonic() - started


def order(**changes: object) -> dict[str, object]:
    return {"items": [LINE], **changes}


HARD_INPUTS = [
    pytest.param(lambda: b'{"note": "' + b"x" * 1_100_000 + b'"}', 413, "PAYLOAD_TOO_LARGE", id="1MB-body"),
    pytest.param(lambda: b"[" * 100_000, 413, "PAYLOAD_TOO_LARGE", id="deep-nesting-100k"),
    pytest.param(lambda: b"[" * 20_000 + b"]" * 20_000, 400, "INVALID_JSON", id="deep-nesting-20k"),
    pytest.param(lambda: json.dumps(order()).encode()[:-1] + b"\xff\xfe}", 400, "INVALID_JSON", id="non-utf8"),
    pytest.param(
        lambda: json.dumps(order(items=[{"productId": "ceramic-mug", "quantity": 10**40}])).encode(),
        422,
        "VALIDATION_ERROR",
        id="huge-quantity",
    ),
    pytest.param(
        lambda: json.dumps(order(items=[{"productId": f"p{i}", "quantity": 1} for i in range(2000)])).encode(),
        413,
        "PAYLOAD_TOO_LARGE",
        id="2000-items",
    ),
    pytest.param(
        lambda: json.dumps(order(items=[{"productId": f"p{i}", "quantity": 1} for i in range(60)])).encode(),
        422,
        "VALIDATION_ERROR",
        id="60-items",
    ),
    pytest.param(lambda: b'{"note": ' + b"9" * 5000 + b"}", 400, "INVALID_JSON", id="5000-digit-number"),
    pytest.param(lambda: b"NaN", 422, "VALIDATION_ERROR", id="NaN"),
    # serverless-offline unwraps a JSON string body before the handler sees it (API Gateway does not: the
    # handler-level tests cover that shape, answered 422), so locally the leftover text is not JSON.
    pytest.param(lambda: b'"just a string"', 400, "INVALID_JSON", id="json-string-unwrapped-offline"),
]


@pytest.mark.parametrize(("make_body", "status", "code"), HARD_INPUTS)
def test_hard_inputs_get_a_quick_clear_4xx(local_stack: DevStack, shopper: LocalShopper, make_body, status, code):
    answer_status, answer, seconds = raw_post(local_stack, shopper, make_body())

    assert (answer_status, answer["error"]["code"]) == (status, code), answer
    assert answer["error"]["message"]
    assert seconds < 5, "a handler that raised would answer only after the function's timeout"
    assert local_stack.stored_orders(shopper.sub) == []


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"],
)
def test_wrong_content_types_are_415(local_stack: DevStack, shopper: LocalShopper, content_type: str):
    status, answer, _ = raw_post(local_stack, shopper, json.dumps(order()).encode(), content_type)
    assert status == 415
    assert answer["error"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


def test_unicode_in_the_note_is_accepted_and_kept(local_stack: DevStack, shopper: LocalShopper):
    note = "Près de la fenêtre — 窓の近く ☕ \U0001f9d1\u200d\U0001f373 עברית Zoë 山田 🚀"
    status, answer, _ = raw_post(local_stack, shopper, json.dumps(order(note=note), ensure_ascii=False).encode())
    assert status == 202
    assert answer["customerId"] == shopper.sub
    assert answer["note"] == note
