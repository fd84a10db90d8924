"""Lambda events and contexts for handler tests, built from the sample events in events/."""

from __future__ import annotations

import copy
import json
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EVENTS_DIR = Path(__file__).resolve().parents[2] / "events"


def sample_event(name: str) -> dict[str, Any]:
    return json.loads((EVENTS_DIR / name).read_text())


def post_order_event(
    body: Any, headers: dict[str, str] | None = None, *, is_base64: bool = False, raw: bool = False
) -> dict[str, Any]:
    """An HTTP API (payload 2.0) POST /orders event; `body` is JSON-encoded unless `raw`."""
    event = sample_event("api-post-order.json")
    event["headers"] = {"content-type": "application/json", **(headers or {})}
    event["body"] = body if raw else json.dumps(body)
    event["isBase64Encoded"] = is_base64
    event["requestContext"]["requestId"] = f"req-{uuid.uuid4()}"
    return event


def get_order_event(order_id: str) -> dict[str, Any]:
    event = sample_event("api-get-order.json")
    event["rawPath"] = f"/orders/{order_id}"
    event["pathParameters"] = {"orderId": order_id}
    event["requestContext"]["http"]["path"] = event["rawPath"]
    event["requestContext"]["requestId"] = f"req-{uuid.uuid4()}"
    return event


def http_api_event(method: str, raw_path: str, route_key: str, body: Any = None) -> dict[str, Any]:
    """An HTTP API (payload 2.0) event as AWS sends it: `raw_path` percent-decoded, any trailing slash kept.

    `route_key` is the route API Gateway matched (e.g. "GET /orders/{orderId}"); its parameters are taken
    from `raw_path` segment by segment, as API Gateway does.
    """
    event = post_order_event(body) if body is not None else sample_event("api-post-order.json")
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
