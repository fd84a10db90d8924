"""The orders table's reads, at the data layer (moto): what the handlers' tests cannot tell apart."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

from orders.data.order_table import OrderTable
from tests.unit.test_api_get_order import STORED_ORDER

STORED_ID = "11111111-2222-4333-8444-555555555555"  # STORED_ORDER's id


def test_an_order_stored_before_request_hashes_reads_with_an_empty_hash(aws):
    # Orders (and messages) from before the API recorded request hashes have none: the empty hash, as
    # OrderMessage's default, never a made-up text that a later comparison could take for a hash.
    assert "requestHash" not in STORED_ORDER
    aws.dynamodb.put_item(TableName=os.environ["ORDERS_TABLE_NAME"], Item=STORED_ORDER)

    stored = OrderTable(aws.dynamodb, os.environ["ORDERS_TABLE_NAME"], os.environ["ORDERS_CUSTOMER_INDEX_NAME"]).get(
        STORED_ID
    )

    assert stored is not None
    assert stored.request_hash == ""
    assert stored.order.order_id == STORED_ID


def test_reads_are_strongly_consistent(aws):
    # The API answers a replayed Idempotency-Key from this read right after another request's write: an
    # eventually consistent read could miss that order and queue it again. moto never serves a stale read,
    # so the request itself is checked, as the client sends it.
    sent: list[dict[str, Any]] = []
    aws.dynamodb.meta.events.register(
        "before-parameter-build.dynamodb.GetItem", lambda params, **_: sent.append(params)
    )

    assert (
        OrderTable(aws.dynamodb, os.environ["ORDERS_TABLE_NAME"], os.environ["ORDERS_CUSTOMER_INDEX_NAME"]).get(
            STORED_ID
        )
        is None
    )

    assert [params.get("ConsistentRead") for params in sent] == [True]


def test_fields_an_order_does_not_have_are_not_stored(aws):
    # A PENDING order has no price, currency or reason yet: absent from the item, never stored as NULL.
    from orders.models import Order, OrderStatus, PricedLine

    at = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    pending = Order(
        order_id=STORED_ID,
        customer_id="c-1",
        status=OrderStatus.PENDING,
        items=[PricedLine(product_id="ceramic-mug", quantity=1)],
        created_at=at,
        updated_at=at,
    )
    assert (
        OrderTable(aws.dynamodb, os.environ["ORDERS_TABLE_NAME"], os.environ["ORDERS_CUSTOMER_INDEX_NAME"]).add(
            pending, "hash-1"
        )
        is None
    )

    item = aws.dynamodb.get_item(TableName=os.environ["ORDERS_TABLE_NAME"], Key={"orderId": {"S": STORED_ID}})["Item"]
    assert sorted(item) == ["createdAt", "customerId", "items", "orderId", "requestHash", "status", "updatedAt"]
    assert item["items"]["L"] == [{"M": {"productId": {"S": "ceramic-mug"}, "quantity": {"N": "1"}}}]
