"""The orders table: one item per order, keyed by orderId, holding the order's whole lifecycle.

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
from orders.models import CANCELLABLE, Order, OrderStatus, StoredOrder

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()
_TIMESTAMP = TypeAdapter(datetime)

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
    """Reads and conditional writes of orders; raises DependencyUnavailableError when DynamoDB fails."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table_name = table_name

    def get(self, order_id: str) -> StoredOrder | None:
        """The stored order (strongly consistent: a write that was answered is always seen), or None."""
        with aws_call("reading an order"):
            response = self._client.get_item(
                TableName=self._table_name, Key={"orderId": {"S": order_id}}, ConsistentRead=True
            )
        item = response.get("Item")
        return None if item is None else _from_item(item)

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

    def cancel(self, order_id: str, at: datetime) -> tuple[Order, bool] | None:
        """Move a PENDING or CONFIRMED order to CANCELLED at `at` (one write); answer (order as stored, changed).

        An order in any other status is answered unchanged (no write, changed False); None when no such order.
        """
        timestamp = {"S": _TIMESTAMP.dump_python(at, mode="json")}  # as pydantic writes every other time
        cancellable = sorted(status.value for status in CANCELLABLE)
        with aws_call("cancelling an order"):
            try:
                response = self._client.update_item(
                    TableName=self._table_name,
                    Key={"orderId": {"S": order_id}},
                    UpdateExpression="SET #status = :cancelled, cancelledAt = :at, updatedAt = :at",
                    ConditionExpression="#status IN (" + ", ".join(f":from{i}" for i in range(len(cancellable))) + ")",
                    ExpressionAttributeNames={"#status": "status"},
                    ExpressionAttributeValues={
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
                    return None if item is None else (_from_item(item).order, False)
                raise
        return _from_item(response["Attributes"]).order, True
