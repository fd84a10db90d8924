"""GET /orders at the table: the one Query a page costs, and a failed one answered and logged.

Found unpinned by mutation testing (docs/testing.md).
"""

from __future__ import annotations

import json
import os
from typing import Any

from orders.data.clients import aws_client
from services.api.handler import lambda_handler
from tests.support.events import LambdaContext, http_api_event, post_order_event


def _list(**query: str) -> tuple[int, dict[str, Any]]:
    response = lambda_handler(http_api_event("GET", "/orders", "GET /orders", query=query), LambdaContext())
    return response["statusCode"], json.loads(response["body"])


def test_a_page_is_one_query_for_one_order_more_than_the_page_holds(aws):
    # The extra order tells whether a next page exists; reading more would cost read capacity for nothing.
    for _ in range(4):
        lambda_handler(post_order_event({"items": [{"productId": "ceramic-mug", "quantity": 1}]}), LambdaContext())
    sent: list[dict[str, Any]] = []
    # The request as the handler's own client sends it (the container's client, cached: the one it will use).
    aws_client("dynamodb").meta.events.register(
        "before-parameter-build.dynamodb.Query", lambda params, **_: sent.append(params)
    )

    status, page = _list(limit="2")

    assert status == 200, page
    assert len(page["orders"]) == 2
    assert [params["Limit"] for params in sent] == [3]


def test_a_failed_listing_is_a_503_logged_as_a_listing(aws, log_lines):
    aws.dynamodb.delete_table(TableName=os.environ["ORDERS_TABLE_NAME"])

    status, body = _list()

    assert (status, body["error"]["code"]) == (503, "SERVICE_UNAVAILABLE")
    logged = [line for line in log_lines() if line["message"] == "dependency unavailable"]
    assert [line["error"] for line in logged] == ["listing a customer's orders failed: ResourceNotFoundException"]
