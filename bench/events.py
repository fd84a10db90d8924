"""The events every benchmark serves: the sample events in events/, made unique per use."""

from __future__ import annotations

import json
import uuid
from typing import Any

from tests.support.events import SHOPPER, post_order_event, sqs_event

ORDER = {
    "items": [
        {"productId": "espresso-beans-1kg", "quantity": 2},
        {"productId": "ceramic-mug", "quantity": 1},
    ],
    "note": "Ring twice",
}


def post_event(idempotency_key: str | None = None) -> dict[str, Any]:
    """POST /orders as API Gateway (HTTP API, payload 2.0) sends it, signed in; a key makes it idempotent."""
    headers = {"idempotency-key": idempotency_key} if idempotency_key else {}
    return post_order_event(ORDER, headers)


def order_message(order_id: str | None = None) -> str:
    """A queue message as the API writes it (camelCase JSON), for an order not stored yet."""
    return json.dumps(
        {
            **ORDER,
            "customerId": SHOPPER,
            "orderId": order_id or str(uuid.uuid4()),
            "createdAt": "2026-11-25T10:00:00Z",
            "correlationId": f"bench-{uuid.uuid4()}",
        }
    )


def batch_event(size: int) -> dict[str, Any]:
    """An SQS event of `size` records, each a new order."""
    return sqs_event([order_message() for _ in range(size)])
