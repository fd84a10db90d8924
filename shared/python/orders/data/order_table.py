"""The orders table: one item per order, keyed by orderId."""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from orders.data.errors import aws_call
from orders.models import Order

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


class OrderTable:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table_name = table_name

    def get(self, order_id: str) -> Order | None:
        with aws_call("reading an order"):
            response = self._client.get_item(
                TableName=self._table_name, Key={"orderId": {"S": order_id}}, ConsistentRead=True
            )
        item = response.get("Item")
        if item is None:
            return None
        return Order.model_validate({key: _deserializer.deserialize(value) for key, value in item.items()})

    def create(self, order: Order) -> bool:
        """Store a new order; False (and no change) if an order with this id is already stored.

        The condition makes a redelivered message a no-op: this write is the processor's idempotency.
        """
        document = order.model_dump(mode="json", by_alias=True, exclude_none=True)
        item = {key: _serializer.serialize(value) for key, value in document.items()}
        with aws_call("storing an order"):
            try:
                self._client.put_item(
                    TableName=self._table_name,
                    Item=item,
                    ConditionExpression="attribute_not_exists(orderId)",
                )
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                    return False
                raise
        return True
