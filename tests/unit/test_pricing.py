"""Pricing is pure: a queued order and a catalog in, a priced order out."""

from __future__ import annotations

from datetime import UTC, datetime

from orders.models import Catalog, LineRejection, OrderLine, OrderMessage, OrderStatus, Product
from services.processor.pricing import price_order

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
CATALOG = Catalog(
    currency="EUR",
    products=[
        Product(product_id="a", name="A", price_cents=250),
        Product(product_id="b", name="B", price_cents=1999),
        Product(product_id="gone", name="Gone", price_cents=100, available=False),
        Product(product_id="free", name="Free sample", price_cents=0),
    ],
)


def order_of(*lines: tuple[str, int], note: str | None = None) -> OrderMessage:
    return OrderMessage(
        order_id="o-1",
        customer_id="c-1",
        items=[OrderLine(product_id=product_id, quantity=quantity) for product_id, quantity in lines],
        note=note,
        created_at=datetime(2026, 11, 25, 11, 0, tzinfo=UTC),
    )


def test_totals_are_exact_in_cents():
    order = price_order(order_of(("a", 3), ("b", 100)), CATALOG, NOW)
    assert order.status is OrderStatus.CONFIRMED
    assert [line.line_total_cents for line in order.items] == [750, 199_900]
    assert order.total_cents == 200_650
    assert order.updated_at == NOW
    assert order.created_at < order.updated_at


def test_every_problem_is_named_in_the_reason():
    order = price_order(order_of(("a", 1), ("nope", 1), ("gone", 2)), CATALOG, NOW)
    assert order.status is OrderStatus.REJECTED
    assert order.rejection_reason == "product 'nope' is not in the catalog; Gone is unavailable"
    assert order.total_cents is None
    assert order.items[1].unit_price_cents is None
    assert order.items[2].unit_price_cents == 100
    assert [line.rejection_code for line in order.items] == [
        None,
        LineRejection.UNKNOWN_PRODUCT,
        LineRejection.PRODUCT_UNAVAILABLE,
    ]


def test_a_free_product_adds_nothing_to_the_total():
    order = price_order(order_of(("free", 3)), CATALOG, NOW)
    assert order.status is OrderStatus.CONFIRMED
    assert [line.line_total_cents for line in order.items] == [0]
    assert order.total_cents == 0

    assert price_order(order_of(("a", 1), ("free", 2)), CATALOG, NOW).total_cents == 250


def test_the_shoppers_note_is_kept_whatever_the_decision():
    # The priced order replaces the PENDING one whole (OrderTable.decide): a note left out here is lost.
    assert price_order(order_of(("a", 1), note="Ring twice"), CATALOG, NOW).note == "Ring twice"
    assert price_order(order_of(("gone", 1), note="Leave at the door"), CATALOG, NOW).note == "Leave at the door"
