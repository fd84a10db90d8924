"""Pricing: turn a queued order into a confirmed or rejected one, using only the catalog's prices."""

from __future__ import annotations

from datetime import datetime

from orders.models import Catalog, LineRejection, Order, OrderMessage, OrderStatus, PricedLine


def price_order(message: OrderMessage, catalog: Catalog, now: datetime) -> Order:
    """CONFIRMED with every line priced, or REJECTED naming each refused line.

    A refused line carries a `rejection_code`; `rejection_reason` names the products as the shopper knows
    them (the catalog's names), one clause per refused line.
    """
    lines: list[PricedLine] = []
    problems: list[str] = []
    for line in message.items:
        product = catalog.products_by_id.get(line.product_id)
        if product is None:
            problems.append(f"product {line.product_id!r} is not in the catalog")
            lines.append(
                PricedLine(
                    product_id=line.product_id, quantity=line.quantity, rejection_code=LineRejection.UNKNOWN_PRODUCT
                )
            )
            continue
        rejection = None
        if not product.available:
            problems.append(f"{product.name} is unavailable")
            rejection = LineRejection.PRODUCT_UNAVAILABLE
        lines.append(
            PricedLine(
                product_id=line.product_id,
                name=product.name,
                quantity=line.quantity,
                unit_price_cents=product.price_cents,
                line_total_cents=product.price_cents * line.quantity,
                rejection_code=rejection,
            )
        )
    confirmed = not problems
    return Order(
        order_id=message.order_id,
        customer_id=message.customer_id,
        status=OrderStatus.CONFIRMED if confirmed else OrderStatus.REJECTED,
        items=lines,
        total_cents=sum(line.line_total_cents or 0 for line in lines) if confirmed else None,
        currency=catalog.currency,
        rejection_reason=None if confirmed else "; ".join(problems),
        note=message.note,
        created_at=message.created_at,
        updated_at=now,
    )
