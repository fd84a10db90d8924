"""Domain logic of the API: accept an order, find one, list a customer's, cancel one.

No boto3 and no HTTP here: the queue and the table are passed in, and the customer is the caller's verified
identity (the handler takes it from the token). Every read and change is of the customer's own orders: another
customer's order is answered as missing. Why accepting is ordered as it is (queue first, then the PENDING
record; the order id named by the Idempotency-Key) is in docs/reliability.md.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Protocol

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, TypeAdapter, ValidationError

from orders.models import (
    CreateOrderRequest,
    CustomerOrderKey,
    Order,
    OrderId,
    OrderMessage,
    OrderPage,
    OrderStatus,
    PricedLine,
    StoredOrder,
    Timestamp,
    utc_now,
)


class OrderPublisher(Protocol):
    def send(self, message: OrderMessage) -> None: ...


class OrderStore(Protocol):
    def get(self, order_id: str) -> StoredOrder | None: ...

    def add(self, order: Order, request_hash: str) -> StoredOrder | None: ...

    def cancel(self, order_id: str, customer_id: str, at: datetime) -> tuple[Order, bool] | None: ...

    def list_for_customer(
        self, customer_id: str, limit: int, after: CustomerOrderKey | None = None
    ) -> list[tuple[Order, CustomerOrderKey]]: ...


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


class InvalidCursorError(ValueError):
    """A `cursor` that this API did not hand to this customer: altered, truncated, or another customer's."""


class OrderNotCancellableError(ValueError):
    def __init__(self, order: Order) -> None:
        super().__init__(f"a {order.status.value} order cannot be cancelled")
        self.order = order


def order_id_for_key(namespace: uuid.UUID, customer_id: str, idempotency_key: str) -> str:
    """The order id a customer's Idempotency-Key names: a name-based UUID (RFC 9562 version 5).

    The key's name space is the customer's own (a UUIDv5 of the customer in the stage's namespace), so two
    customers who send the same key name two orders. Deterministic, so every retry from any container names
    the same order before anything is written; the stage's namespace is the stack's own UUID, so ids differ
    per stage and cannot be computed from a guessed key outside the stack.
    """
    return str(uuid.uuid5(uuid.uuid5(namespace, customer_id), idempotency_key))


def request_hash(request: CreateOrderRequest) -> str:
    """SHA-256 (hex) of the request as validated, so that `2` and `2.0`, or reordered keys, hash alike."""
    return hashlib.sha256(request.model_dump_json(by_alias=True).encode()).hexdigest()


def accept_order(
    request: CreateOrderRequest,
    customer_id: str,
    idempotency_key: str | None,
    *,
    namespace: uuid.UUID,
    correlation_id: str | None,
    queue: OrderPublisher,
    orders: OrderStore,
) -> OrderResult:
    """Queue the customer's order, then store it PENDING; answer the order as stored (PENDING, or later if a retry).

    With a key the order id is named by the customer and the key, and a key already used answers its order (or raises
    IdempotencyKeyReusedError for another body) without queueing again. Without a key the id is random:
    uuid4, 122 bits from os.urandom. Raises DependencyUnavailableError when SQS or DynamoDB fails; with a
    key a retry then completes the order, without one nothing is guaranteed (docs/reliability.md).
    """
    fingerprint = request_hash(request)
    if idempotency_key is None:
        order_id = str(uuid.uuid4())
    else:
        order_id = order_id_for_key(namespace, customer_id, idempotency_key)
        stored = orders.get(order_id)
        if stored is not None:
            return OrderResult(_same_request(stored, fingerprint), changed=False)
    now = utc_now()
    queue.send(
        OrderMessage(
            order_id=order_id,
            customer_id=customer_id,
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
        customer_id=customer_id,
        status=OrderStatus.PENDING,
        items=[PricedLine(product_id=line.product_id, quantity=line.quantity) for line in request.items],
        note=request.note,
        created_at=now,
        updated_at=now,
    )
    stored = orders.add(pending, fingerprint)
    if stored is None:
        return OrderResult(pending, changed=True)
    order = _same_request(stored, fingerprint)
    # Stored already: by a request with the same key (not this one's order), or by the processor from this
    # request's own message, whose createdAt is this attempt's `now` (a new order all the same).
    return OrderResult(order, changed=order.created_at == now)


def _same_request(stored: StoredOrder, fingerprint: str) -> Order:
    if stored.request_hash != fingerprint:
        raise IdempotencyKeyReusedError("this Idempotency-Key was already used with a different request body")
    return stored.order


def find_order(order_id: str, customer_id: str, orders: OrderStore) -> Order:
    """The customer's order; raises OrderNotFoundError when there is none or it is another customer's."""
    stored = orders.get(order_id)
    if stored is None or stored.order.customer_id != customer_id:
        raise OrderNotFoundError(order_id)
    return stored.order


def list_orders(customer_id: str, limit: int, cursor: str | None, orders: OrderStore) -> OrderPage:
    """A page of the customer's orders, newest first: `limit` of them, after the order `cursor` names.

    The page's `next_cursor` is None on the last page (one order more than `limit` is read to know). Raises
    InvalidCursorError for a cursor not handed to this customer.
    """
    after = None if cursor is None else _decode_cursor(cursor, customer_id)
    found = orders.list_for_customer(customer_id, limit + 1, after)
    page = found[:limit]
    next_cursor = _encode_cursor(page[-1][1], customer_id) if len(found) > limit else None
    return OrderPage(orders=[order for order, _ in page], next_cursor=next_cursor)


_TIMESTAMP = TypeAdapter(Timestamp)
_URLSAFE_BASE64 = re.compile(r"^[A-Za-z0-9_-]+$")


def _stored_time_form(text: str) -> str:
    """Only a time as the table stores it (models.Timestamp), written exactly so: DynamoDB gets no odd key."""
    if _TIMESTAMP.dump_python(_TIMESTAMP.validate_python(text), mode="json") != text:
        raise ValueError("not a time in the stored form")
    return text


class _Cursor(BaseModel):
    """What a cursor holds: where the page ended, and a digest of whose list it is (not the id itself).

    Not signed: a shopper may write one by hand, but it only ever positions a Query in their own partition.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    owner: str
    created_at: Annotated[str, StringConstraints(max_length=32), AfterValidator(_stored_time_form)]
    order_id: OrderId


def _owner_digest(customer_id: str) -> str:
    return hashlib.sha256(customer_id.encode()).hexdigest()[:32]


def _encode_cursor(key: CustomerOrderKey, customer_id: str) -> str:
    """URL-safe base64 (no padding) of a small JSON document: opaque to clients, never needing escaping."""
    cursor = _Cursor(owner=_owner_digest(customer_id), created_at=key.created_at, order_id=key.order_id)
    return base64.urlsafe_b64encode(cursor.model_dump_json().encode()).decode().rstrip("=")


def _decode_cursor(text: str, customer_id: str) -> CustomerOrderKey:
    """The key a cursor names; InvalidCursorError, with one message whatever is wrong, so that it confirms nothing."""
    refused = InvalidCursorError("this cursor was not given to you by this API")
    if not _URLSAFE_BASE64.match(text):  # exactly what _encode_cursor writes: no padding, no other characters
        raise refused
    try:
        # "==" is the most padding a base64 text lacks; the decoder ignores what is more than it needs.
        document = json.loads(base64.urlsafe_b64decode(text + "=="))
        cursor = _Cursor.model_validate(document)
    except (binascii.Error, ValueError, ValidationError) as error:  # UnicodeDecodeError is a ValueError
        raise refused from error
    if cursor.owner != _owner_digest(customer_id):
        raise refused
    return CustomerOrderKey(created_at=cursor.created_at, order_id=cursor.order_id)


def cancel_order(order_id: str, customer_id: str, orders: OrderStore) -> OrderResult:
    """Cancel the customer's PENDING or CONFIRMED order; cancelling a cancelled one answers it unchanged.

    Raises OrderNotFoundError (none, or another customer's), or OrderNotCancellableError for a REJECTED order.
    """
    result = orders.cancel(order_id, customer_id, utc_now())
    if result is None:
        raise OrderNotFoundError(order_id)
    order, changed = result
    if order.status is not OrderStatus.CANCELLED:
        raise OrderNotCancellableError(order)
    return OrderResult(order, changed)
