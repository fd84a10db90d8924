"""The orders table: one item per order, keyed by orderId, holding the order's whole lifecycle.

A global secondary index on (customerId, createdAt) lists one customer's orders, newest first, without a Scan.

Every write is conditional on the order's status, so that the table itself decides each transition
(PENDING -> CONFIRMED | REJECTED, PENDING | CONFIRMED -> CANCELLED) once, whoever writes and however often.
Besides the order's public fields an item holds `requestHash`, the hash of the request that made it: the
API's Idempotency-Key check and the processor's write both compare against it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError
from pydantic import TypeAdapter

from orders.data.errors import aws_call
from orders.models import CANCELLABLE, CustomerOrderKey, Order, OrderStatus, StoredOrder, Timestamp

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()
_TIMESTAMP = TypeAdapter(Timestamp)

REQUEST_HASH = "requestHash"


def _to_item(order: Order, request_hash: str) -> dict[str, Any]:
    document = order.model_dump(mode="json", by_alias=True, exclude_none=True)
    document[REQUEST_HASH] = request_hash
    return {key: _serializer.serialize(value) for key, value in document.items()}


def _from_item(item: dict[str, Any]) -> StoredOrder:
    document = {key: _deserializer.deserialize(value) for key, value in item.items()}
    request_hash = str(document.pop(REQUEST_HASH, ""))
    return StoredOrder(order=Order.model_validate(document), request_hash=request_hash)


def _condition_failed(error: ClientError) -> bool:
    return bool(error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException")


class OrderTable:
    """Reads and conditional writes of orders; raises DependencyUnavailableError when DynamoDB fails.

    `customer_index_name` is the global secondary index keyed on (customerId, createdAt) (resources/data.yml).
    """

    def __init__(self, client: Any, table_name: str, customer_index_name: str) -> None:
        self._client = client
        self._table_name = table_name
        self._customer_index_name = customer_index_name

    def get(self, order_id: str) -> StoredOrder | None:
        """The stored order (strongly consistent: a write that was answered is always seen), or None."""
        with aws_call("reading an order"):
            response = self._client.get_item(
                TableName=self._table_name, Key={"orderId": {"S": order_id}}, ConsistentRead=True
            )
        item = response.get("Item")
        return None if item is None else _from_item(item)

    def list_for_customer(
        self, customer_id: str, limit: int, after: CustomerOrderKey | None = None
    ) -> list[tuple[Order, CustomerOrderKey]]:
        """Up to `limit` of the customer's orders, newest first, each with its key; after `after` when given.

        Read from the index, which DynamoDB updates asynchronously: an order written a moment ago may be missing
        or in its previous status (GET of the one order is strongly consistent). One Query; a page is never larger
        than 1 MB, since `limit` is small (the API allows 50 orders of under 8 KiB).
        """
        query: dict[str, Any] = {
            "TableName": self._table_name,
            "IndexName": self._customer_index_name,
            "KeyConditionExpression": "customerId = :customer",
            "ExpressionAttributeValues": {":customer": {"S": customer_id}},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if after is not None:
            query["ExclusiveStartKey"] = {
                "customerId": {"S": customer_id},
                "createdAt": {"S": after.created_at},
                "orderId": {"S": after.order_id},
            }
        with aws_call("listing a customer's orders"):
            response = self._client.query(**query)
        return [
            (_from_item(item).order, CustomerOrderKey(item["createdAt"]["S"], item["orderId"]["S"]))
            for item in response.get("Items", [])
        ]

    def add(self, order: Order, request_hash: str) -> StoredOrder | None:
        """Store a new order unless one with its id is stored (one write); None if this write stored it.

        The API's PENDING write: if the processor got there first, or another request with the same
        Idempotency-Key did, nothing changes and the stored order is returned (the caller compares hashes).
        """
        return self._put_unless_stored(order, request_hash, "attribute_not_exists(orderId)")

    def decide(self, order: Order, request_hash: str) -> StoredOrder | None:
        """Store a priced (CONFIRMED or REJECTED) order over its PENDING one; None if it was stored.

        One PutItem: the whole item is replaced, so `createdAt` is the message's, which after a keyed retry
        that followed a failure may be the first attempt's, seconds before the one its 202 answered. It takes
        effect only if no order with this id is stored yet (the processor may run before the API's PENDING
        write lands) or the stored one is PENDING and was made by the same request.
        Otherwise nothing changes and the stored order is returned: already decided by an earlier delivery,
        cancelled, or made by another request for the same Idempotency-Key.
        """
        return self._put_unless_stored(
            order,
            request_hash,
            "attribute_not_exists(orderId) OR (#status = :pending AND #requestHash = :requestHash)",
            ExpressionAttributeNames={"#status": "status", "#requestHash": REQUEST_HASH},
            ExpressionAttributeValues={
                ":pending": {"S": OrderStatus.PENDING.value},
                ":requestHash": {"S": request_hash},
            },
        )

    def _put_unless_stored(
        self, order: Order, request_hash: str, condition: str, **expression_attributes: Any
    ) -> StoredOrder | None:
        """PutItem under `condition`: None if it was written, else the stored order (returned by the failed write)."""
        with aws_call("storing an order"):
            try:
                self._client.put_item(
                    TableName=self._table_name,
                    Item=_to_item(order, request_hash),
                    ConditionExpression=condition,
                    ReturnValuesOnConditionCheckFailure="ALL_OLD",
                    **expression_attributes,
                )
            except ClientError as error:
                if _condition_failed(error) and "Item" in error.response:
                    return _from_item(error.response["Item"])
                raise
        return None

    def cancel(self, order_id: str, customer_id: str, at: datetime) -> tuple[Order, bool] | None:
        """Move the customer's PENDING or CONFIRMED order to CANCELLED at `at` (one write); answer (order, changed).

        An order in any other status is answered unchanged (no write, changed False); None when there is no such
        order or it is another customer's. Ownership is part of the write's condition, so no read comes first.
        """
        timestamp = {"S": _TIMESTAMP.dump_python(at, mode="json")}  # as pydantic writes every other time
        cancellable = sorted(status.value for status in CANCELLABLE)
        with aws_call("cancelling an order"):
            try:
                response = self._client.update_item(
                    TableName=self._table_name,
                    Key={"orderId": {"S": order_id}},
                    UpdateExpression="SET #status = :cancelled, cancelledAt = :at, updatedAt = :at",
                    ConditionExpression="customerId = :customer AND #status IN ("
                    + ", ".join(f":from{i}" for i in range(len(cancellable)))
                    + ")",
                    ExpressionAttributeNames={"#status": "status"},
                    ExpressionAttributeValues={
                        ":customer": {"S": customer_id},
                        ":cancelled": {"S": OrderStatus.CANCELLED.value},
                        ":at": timestamp,
                        **{f":from{i}": {"S": status} for i, status in enumerate(cancellable)},
                    },
                    ReturnValues="ALL_NEW",
                    ReturnValuesOnConditionCheckFailure="ALL_OLD",
                )
            except ClientError as error:
                if _condition_failed(error):
                    item = error.response.get("Item")
                    stored = None if item is None else _from_item(item).order
                    return None if stored is None or stored.customer_id != customer_id else (stored, False)
                raise
        return _from_item(response["Attributes"]).order, True
