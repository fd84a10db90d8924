"""Domain logic of the API: accept an order for processing, and find a stored one.

No boto3 and no HTTP here: the queue and the table are passed in.
"""

from __future__ import annotations

import uuid
from typing import Protocol

from orders.models import AcceptedOrder, CreateOrderRequest, Order, OrderMessage, utc_now


class OrderPublisher(Protocol):
    def send(self, message: OrderMessage) -> None: ...


class OrderReader(Protocol):
    def get(self, order_id: str) -> Order | None: ...


class OrderNotFoundError(LookupError):
    def __init__(self, order_id: str) -> None:
        super().__init__(f"no order with id {order_id}")
        self.order_id = order_id


def accept_order(request: CreateOrderRequest, correlation_id: str | None, queue: OrderPublisher) -> AcceptedOrder:
    """Give the order an unguessable id and queue it; pricing and storage happen in the processor."""
    order_id = str(uuid.uuid4())  # 122 random bits from os.urandom
    message = OrderMessage(
        order_id=order_id,
        customer_id=request.customer_id,
        items=request.items,
        note=request.note,
        created_at=utc_now(),
        correlation_id=correlation_id,
    )
    queue.send(message)
    return AcceptedOrder(
        order_id=order_id,
        customer_id=message.customer_id,
        items=message.items,
        note=message.note,
        created_at=message.created_at,
    )


def find_order(order_id: str, orders: OrderReader) -> Order:
    order = orders.get(order_id)
    if order is None:
        raise OrderNotFoundError(order_id)
    return order
