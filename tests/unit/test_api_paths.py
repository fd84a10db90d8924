"""The paths API Gateway really sends, at the handler: serverless-offline normalises them away.

HTTP API routes `/orders/` to the `/orders` route and keeps the slash in `rawPath`; it hands the function a
percent-decoded path (`/orders/%E2%98%83` arrives as `/orders/☃`); and every method the template routes
reaches the function. Whatever the path, a 405 may only name another method than the one used
(RFC 9110 §15.5.6), and only on a route that exists.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from services.api.errors import ROUTES, _path_pattern
from services.api.handler import lambda_handler
from tests.support.events import LambdaContext, http_api_event
from tests.unit.test_api_get_order import STORED_ORDER
from tests.unit.test_api_place_order import VALID_ORDER

STORED_ID = "11111111-2222-4333-8444-555555555555"  # STORED_ORDER's id
ROUTABLE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]
# Ids a client can send that cannot exist, as API Gateway delivers them (decoded).
IMPOSSIBLE_IDS = ["☃", "a#b", "a b", "a?b", "a%b", "a\\b", 'a"b', "x" * 65, "abc$", "Zoë"]


def call(event: dict[str, Any]) -> tuple[int, dict[str, str], dict[str, Any]]:
    response = lambda_handler(event, LambdaContext())
    return response["statusCode"], response.get("headers", {}), json.loads(response["body"])


def test_post_with_a_trailing_slash_places_the_order(aws):
    status, headers, body = call(http_api_event("POST", "/orders/", "POST /orders", VALID_ORDER))
    assert status == 202
    assert headers["Location"] == f"/orders/{body['orderId']}"
    assert len(aws.queued_messages()) == 1


def test_get_with_a_trailing_slash_reads_the_order(aws):
    aws.dynamodb.put_item(TableName=os.environ["ORDERS_TABLE_NAME"], Item=STORED_ORDER)
    status, _, body = call(http_api_event("GET", f"/orders/{STORED_ID}/", "GET /orders/{orderId}"))
    assert status == 200
    assert body["orderId"] == STORED_ID


@pytest.mark.parametrize("order_id", IMPOSSIBLE_IDS)
def test_an_id_that_cannot_exist_is_a_422_naming_the_path_parameter(aws, order_id):
    status, headers, body = call(http_api_event("GET", f"/orders/{order_id}", "GET /orders/{orderId}"))
    assert status == 422, body
    assert "Allow" not in headers
    assert body["error"]["code"] == "VALIDATION_ERROR"
    assert [detail["loc"] for detail in body["error"]["details"]] == [["path", "orderId"]]
    # The id itself was checked against the rule (too long, or a character outside it), not a blank.
    rule = "string_too_long" if len(order_id) > 64 else "string_pattern_mismatch"
    assert [detail["type"] for detail in body["error"]["details"]] == [rule]


def _odd_paths(route: str) -> list[str]:
    if "{orderId}" not in route:
        return [route, route + "/", route + "//"]
    ids = [STORED_ID, "☃", "a#b", "abc$"]
    return [route.replace("{orderId}", order_id) + tail for order_id in ids for tail in ("", "/")]


CASES = [
    pytest.param(method, route, path, id=f"{method} {path}")
    for route in ROUTES
    for path in _odd_paths(route)
    for method in ROUTABLE_METHODS
]


@pytest.mark.parametrize(("method", "route", "path"), CASES)
def test_a_405_only_ever_names_another_method_of_an_existing_route(aws, method, route, path):
    aws.dynamodb.put_item(TableName=os.environ["ORDERS_TABLE_NAME"], Item=STORED_ORDER)
    body = VALID_ORDER if method == "POST" else None
    status, headers, answer = call(http_api_event(method, path, f"{method} {route}", body))
    if method in ROUTES[route]:
        assert status in {200, 202, 422}, answer
    else:
        assert status == 405, answer
        assert headers["Allow"] == ", ".join(ROUTES[route])
        assert answer["error"]["code"] == "METHOD_NOT_ALLOWED"
    assert status < 500


@pytest.mark.parametrize(
    ("route", "path", "parameters"),
    [
        ("/orders", "/orders", {}),
        ("/orders/{orderId}", "/orders/a.b", {"orderId": "a.b"}),
        ("/orders/{orderId}/cancel", "/orders/x-1/cancel", {"orderId": "x-1"}),
        ("/orders/{orderId}", "/orders/x/cancel", None),  # a parameter is one whole segment
        ("/orders/{orderId}", "/orders/", None),  # and never empty
        ("/orders", "/ordersX", None),  # the whole path, not a prefix
        ("/orders", "/v1/orders", None),  # nor a suffix
        ("/orders/{orderId}/cancel", "/orders/x/cancel/", None),
    ],
)
def test_a_route_matches_paths_as_api_gateway_routes_them(route, path, parameters):
    # The 405/422 fallback finds the route a path belongs to with these patterns.
    match = _path_pattern(route).match(path)
    assert (None if match is None else match.groupdict()) == parameters
