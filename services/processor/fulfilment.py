"""Domain logic of the processor: price a queued order and store it exactly once."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from orders.models import Catalog, Order, OrderMessage, utc_now
from services.processor.pricing import price_order


class CatalogSource(Protocol):
    def current(self) -> Catalog: ...


class OrderWriter(Protocol):
    def create(self, order: Order) -> bool: ...


class Outcome(StrEnum):
    CONFIRMED = "CONFIRMED"
    REJECTED = "REJECTED"
    DUPLICATE = "DUPLICATE"  # already stored by an earlier delivery of the same message: nothing changed


def fulfil_order(message: OrderMessage, catalog: CatalogSource, orders: OrderWriter) -> Outcome:
    """Raises DependencyUnavailableError when the catalog or the table fails: the message is retried."""
    order = price_order(message, catalog.current(), utc_now())
    if not orders.create(order):
        return Outcome.DUPLICATE
    return Outcome(order.status.value)
