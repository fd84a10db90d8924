"""Pydantic models shared by both Lambdas: the API contract, the queue message and the stored order.

JSON field names are camelCase (the public contract); Python attributes are snake_case.
Money is in integer minor units (cents) so that no price is ever a float.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic.alias_generators import to_camel

MAX_ITEMS_PER_ORDER = 50
MAX_QUANTITY_PER_ITEM = 100
MAX_NOTE_LENGTH = 500


def _printable_text(value: str) -> str:
    """Reject lone surrogates and control characters: DynamoDB and JSON encoders choke on the former,
    and the latter have no business in names or notes (newlines and tabs excepted)."""
    for char in value:
        category = unicodedata.category(char)
        if category == "Cs":
            raise ValueError("text must be valid Unicode (no lone surrogates)")
        if category == "Cc" and char not in "\n\t":
            raise ValueError("text must not contain control characters")
    return value


ProductId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")]
CustomerId = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=128),
    AfterValidator(_printable_text),
]
Note = Annotated[str, StringConstraints(max_length=MAX_NOTE_LENGTH), AfterValidator(_printable_text)]
Quantity = Annotated[int, Field(ge=1, le=MAX_QUANTITY_PER_ITEM, strict=True)]
OrderId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]
Cents = Annotated[int, Field(ge=0)]


def utc_now() -> datetime:
    return datetime.now(UTC)


class ApiModel(BaseModel):
    """camelCase on the wire, immutable in code."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)


class OrderStatus(StrEnum):
    PENDING = "PENDING"
    CONFIRMED = "CONFIRMED"
    REJECTED = "REJECTED"


class OrderLine(ApiModel):
    model_config = ConfigDict(extra="forbid")

    product_id: ProductId
    quantity: Quantity


class CreateOrderRequest(ApiModel):
    """What a client sends to POST /orders. Prices are deliberately absent: they come from the catalog."""

    model_config = ConfigDict(extra="forbid")

    customer_id: CustomerId
    items: list[OrderLine] = Field(min_length=1, max_length=MAX_ITEMS_PER_ORDER)
    note: Note | None = None

    @field_validator("items")
    @classmethod
    def _one_line_per_product(cls, items: list[OrderLine]) -> list[OrderLine]:
        product_ids = [line.product_id for line in items]
        if len(set(product_ids)) != len(product_ids):
            raise ValueError("each productId may appear only once; raise its quantity instead")
        return items


class OrderMessage(ApiModel):
    """The message the API puts on the queue and the processor consumes."""

    order_id: OrderId
    customer_id: CustomerId
    items: list[OrderLine] = Field(min_length=1, max_length=MAX_ITEMS_PER_ORDER)
    note: Note | None = None
    created_at: datetime
    correlation_id: str | None = None


class AcceptedOrder(ApiModel):
    """The 202 answer to POST /orders: the order is queued, not yet priced."""

    order_id: OrderId
    status: Literal[OrderStatus.PENDING] = OrderStatus.PENDING
    customer_id: str
    items: list[OrderLine]
    note: str | None = None
    created_at: datetime


class PricedLine(ApiModel):
    product_id: str
    name: str | None = None
    quantity: int
    unit_price_cents: Cents | None = None
    line_total_cents: Cents | None = None


class Order(ApiModel):
    """An order as stored in DynamoDB and returned by GET /orders/{orderId}."""

    order_id: OrderId
    customer_id: str
    status: OrderStatus
    items: list[PricedLine]
    total_cents: Cents | None = None
    currency: str
    rejection_reason: str | None = None
    note: str | None = None
    created_at: datetime
    updated_at: datetime


class Product(ApiModel):
    product_id: ProductId
    name: str
    description: str = ""
    price_cents: Cents
    available: bool = True


class Catalog(ApiModel):
    """The product catalog (frontend/catalog/products.json), the only source of prices."""

    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    products: list[Product]

    def find(self, product_id: str) -> Product | None:
        return next((product for product in self.products if product.product_id == product_id), None)
