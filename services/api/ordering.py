"""Domain logic of the API: accept an order, find one, cancel one.

No boto3 and no HTTP here: the queue and the table are passed in. Why accepting is ordered as it is (queue
first, then the PENDING record; the order id named by the Idempotency-Key) is in docs/reliability.md.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from orders.models import CreateOrderRequest, Order, OrderMessage, OrderStatus, PricedLine, StoredOrder, utc_now


class OrderPublisher(Protocol):
    def send(self, message: OrderMessage) -> None: ...


class OrderStore(Protocol):
    def get(self, order_id: str) -> StoredOrder | None: ...

    def add(self, order: Order, request_hash: str) -> StoredOrder | None: ...

    def cancel(self, order_id: str, at: datetime) -> tuple[Order, bool] | None: ...


@dataclass(frozen=True)
class OrderResult:
    """An order as answered, and whether this request changed it (False: a replay, or already cancelled)."""

    order: Order
    changed: bool


class OrderNotFoundError(LookupError):
    def __init__(self, order_id: str) -> None:
        super().__init__(f"no order with id {order_id}")
        self.order_id = order_id


class IdempotencyKeyReusedError(ValueError):
    """The Idempotency-Key names an order that was made from a different request body."""


class OrderNotCancellableError(ValueError):
    def __init__(self, order: Order) -> None:
        super().__init__(f"a {order.status.value} order cannot be cancelled")
        self.order = order


def order_id_for_key(namespace: uuid.UUID, idempotency_key: str) -> str:
    """The order id an Idempotency-Key names: a name-based UUID (RFC 9562 version 5) in the stage's namespace.

    Deterministic, so every retry from any container names the same order before anything is written; the
    namespace is the stack's own UUID, so ids differ per stage and cannot be computed from a guessed key
    outside the stack.
    """
    return str(uuid.uuid5(namespace, idempotency_key))


def request_hash(request: CreateOrderRequest) -> str:
    """SHA-256 (hex) of the request as validated, so that `2` and `2.0`, or reordered keys, hash alike."""
    return hashlib.sha256(request.model_dump_json(by_alias=True).encode()).hexdigest()


def accept_order(
    request: CreateOrderRequest,
    idempotency_key: str | None,
    namespace: uuid.UUID,
    correlation_id: str | None,
    queue: OrderPublisher,
    orders: OrderStore,
) -> OrderResult:
    """Queue the order, then store it PENDING; answer the order as stored (PENDING, or later if a retry).

    With a key the order id is named by the key, and a key already used answers its order (or raises
    IdempotencyKeyReusedError for another body) without queueing again. Without a key the id is random:
    uuid4, 122 bits from os.urandom. Raises DependencyUnavailableError when SQS or DynamoDB fails; with a
    key a retry then completes the order, without one nothing is guaranteed (docs/reliability.md).
    """
    fingerprint = request_hash(request)
    if idempotency_key is None:
        order_id = str(uuid.uuid4())
    else:
        order_id = order_id_for_key(namespace, idempotency_key)
        stored = orders.get(order_id)
        if stored is not None:
            return OrderResult(_same_request(stored, fingerprint), changed=False)
    now = utc_now()
    queue.send(
        OrderMessage(
            order_id=order_id,
            customer_id=request.customer_id,
            items=request.items,
            note=request.note,
            created_at=now,
            request_hash=fingerprint,
            correlation_id=correlation_id,
        )
    )
    # Written only once SQS holds the message, so a stored order is never missing its message. The
    # processor may already have stored it (then this write changes nothing and answers that order).
    pending = Order(
        order_id=order_id,
        customer_id=request.customer_id,
        status=OrderStatus.PENDING,
        items=[PricedLine(product_id=line.product_id, quantity=line.quantity) for line in request.items],
        note=request.note,
        created_at=now,
        updated_at=now,
    )
    stored = orders.add(pending, fingerprint)
    if stored is None:
        return OrderResult(pending, changed=True)
    return OrderResult(_same_request(stored, fingerprint), changed=False)


def _same_request(stored: StoredOrder, fingerprint: str) -> Order:
    if stored.request_hash != fingerprint:
        raise IdempotencyKeyReusedError("this Idempotency-Key was already used with a different request body")
    return stored.order


def find_order(order_id: str, orders: OrderStore) -> Order:
    stored = orders.get(order_id)
    if stored is None:
        raise OrderNotFoundError(order_id)
    return stored.order


def cancel_order(order_id: str, orders: OrderStore) -> OrderResult:
    """Cancel a PENDING or CONFIRMED order; cancelling a cancelled one answers it unchanged.

    Raises OrderNotFoundError, or OrderNotCancellableError for a REJECTED order.
    """
    result = orders.cancel(order_id, utc_now())
    if result is None:
        raise OrderNotFoundError(order_id)
    order, changed = result
    if order.status is not OrderStatus.CANCELLED:
        raise OrderNotCancellableError(order)
    return OrderResult(order, changed)
