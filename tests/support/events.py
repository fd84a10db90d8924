"""Lambda events and contexts for handler tests, built from the sample events in events/."""

from __future__ import annotations

import copy
import json
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

EVENTS_DIR = Path(__file__).resolve().parents[2] / "events"
# The signed-in shopper of the sample events: the `sub` of their access token, and so the orders' customerId.
SHOPPER = "3f6a2c1e-8b4d-4c7a-9e15-2d7b8f0a6c34"
OTHER_SHOPPER = "9b2d4f6a-1c3e-4a5b-8d7f-0e2c4a6b8d9f"


def sample_event(name: str) -> dict[str, Any]:
    return json.loads((EVENTS_DIR / name).read_text())


def signed_in_as(event: dict[str, Any], customer: str | None) -> dict[str, Any]:
    """The event as API Gateway's JWT authorizer passes it for `customer`'s access token; None: no claims at all."""
    if customer is None:
        event["requestContext"].pop("authorizer", None)
        return event
    claims = event["requestContext"]["authorizer"]["jwt"]["claims"]
    claims["sub"] = claims["username"] = customer
    return event


def post_order_event(
    body: Any,
    headers: dict[str, str] | None = None,
    *,
    is_base64: bool = False,
    raw: bool = False,
    customer: str | None = SHOPPER,
) -> dict[str, Any]:
    """An HTTP API (payload 2.0) POST /orders event by `customer`; `body` is JSON-encoded unless `raw`."""
    event = signed_in_as(sample_event("api-post-order.json"), customer)
    event["headers"] = {"content-type": "application/json", **(headers or {})}
    event["body"] = body if raw else json.dumps(body)
    event["isBase64Encoded"] = is_base64
    event["requestContext"]["requestId"] = f"req-{uuid.uuid4()}"
    return event


def get_order_event(order_id: str, customer: str | None = SHOPPER) -> dict[str, Any]:
    event = signed_in_as(sample_event("api-get-order.json"), customer)
    event["rawPath"] = f"/orders/{order_id}"
    event["pathParameters"] = {"orderId": order_id}
    event["requestContext"]["http"]["path"] = event["rawPath"]
    event["requestContext"]["requestId"] = f"req-{uuid.uuid4()}"
    return event


def http_api_event(
    method: str,
    raw_path: str,
    route_key: str,
    body: Any = None,
    *,
    query: dict[str, str] | None = None,
    customer: str | None = SHOPPER,
) -> dict[str, Any]:
    """An HTTP API (payload 2.0) event as AWS sends it: `raw_path` percent-decoded, any trailing slash kept.

    `route_key` is the route API Gateway matched (e.g. "GET /orders/{orderId}"); its parameters are taken
    from `raw_path` segment by segment, as API Gateway does. `query` becomes the query string parameters.
    """
    event = (
        post_order_event(body, customer=customer)
        if body is not None
        else signed_in_as(sample_event("api-post-order.json"), customer)
    )
    if query is not None:
        event["queryStringParameters"] = query
        event["rawQueryString"] = urlencode(query)
    if body is None:
        event.pop("body", None)
        event["headers"] = {key: value for key, value in event["headers"].items() if key != "content-type"}
    event["rawPath"] = event["requestContext"]["http"]["path"] = raw_path
    event["requestContext"]["http"]["method"] = method
    event["routeKey"] = event["requestContext"]["routeKey"] = route_key
    template_parts = route_key.split(" ", 1)[1].strip("/").split("/")
    path_parts = raw_path.strip("/").split("/")
    parameters = {
        part[1:-1]: value for part, value in zip(template_parts, path_parts, strict=False) if part.startswith("{")
    }
    if parameters:
        event["pathParameters"] = parameters
    event["requestContext"]["requestId"] = f"req-{uuid.uuid4()}"
    return event


def sqs_event(bodies: list[str], message_ids: list[str] | None = None) -> dict[str, Any]:
    template = sample_event("processor-sqs-batch.json")["Records"][0]
    records = []
    for index, body in enumerate(bodies):
        record = copy.deepcopy(template)
        record["body"] = body
        record["messageId"] = message_ids[index] if message_ids else str(uuid.uuid4())
        records.append(record)
    return {"Records": records}


@dataclass
class LambdaContext:
    """A Lambda context whose remaining time runs down from `timeout_ms` like Lambda's, from its creation."""

    function_name: str = "orders-test"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:eu-west-1:123456789012:function:orders-test"
    aws_request_id: str = "test-invocation"
    timeout_ms: int = 10_000
    started_at: float = field(default_factory=time.monotonic)

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self.timeout_ms - int((time.monotonic() - self.started_at) * 1000))
