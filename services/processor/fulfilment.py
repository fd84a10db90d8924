"""Domain logic of the processor: price a queued order and decide it exactly once."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from orders.models import Catalog, Order, OrderMessage, OrderStatus, StoredOrder, utc_now
from services.processor.pricing import price_order


class CatalogSource(Protocol):
    def current(self) -> Catalog: ...


class OrderDecider(Protocol):
    def decide(self, order: Order, request_hash: str) -> StoredOrder | None: ...


class Outcome(StrEnum):
    CONFIRMED = "CONFIRMED"
    REJECTED = "REJECTED"
    # The order had already left PENDING (an earlier delivery of the message decided it), or the message
    # was left by a request that lost its Idempotency-Key to another: nothing changed.
    DUPLICATE = "DUPLICATE"
    CANCELLED = "CANCELLED"  # cancelled before it was ever priced: left cancelled, never priced


def fulfil_order(message: OrderMessage, catalog: CatalogSource, orders: OrderDecider) -> Outcome:
    """Price the order and store the decision over its PENDING record, in one conditional write.

    Raises DependencyUnavailableError when the catalog or the table fails: the message is retried.
    """
    order = price_order(message, catalog.current(), utc_now())
    stored = orders.decide(order, message.request_hash)
    if stored is None:
        return Outcome(order.status.value)
    if stored.order.status is OrderStatus.CANCELLED and stored.order.currency is None:  # never priced
        return Outcome.CANCELLED
    return Outcome.DUPLICATE
