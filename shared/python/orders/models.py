"""Pydantic models shared by both Lambdas: the API contract, the queue message and the stored order.

JSON field names are camelCase (the public contract); Python attributes are snake_case.
Money is in integer minor units (cents) so that no price is ever a float.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import cached_property
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, StringConstraints
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

MAX_ITEMS_PER_ORDER = 50
MAX_QUANTITY_PER_ITEM = 100
MAX_NOTE_LENGTH = 500


# Text rules are patterns, not code, so that the OpenAPI document states exactly what is accepted:
# no control characters (notes may have tabs and newlines), no leading or trailing space in ids, and
# nothing a store on the order's way refuses. SQS refuses U+FFFE and U+FFFF in a message (it accepts #x9 #xA
# #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF: SendMessage, Amazon SQS API Reference); moto accepts
# them. Lone surrogates (#xD800-#xDFFF) never reach a pattern: pydantic refuses them as strings.
_NOT_IN_SQS = r"\uFFFE\uFFFF"
_CONTROL = r"\x00-\x1F\x7F-\x9F" + _NOT_IN_SQS
_NOTE_CONTROL = r"\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F" + _NOT_IN_SQS
_ID_EDGE = rf"[^\s{_CONTROL}]"  # the first and last character of an id: not a space either


def _json_integer(value: object) -> object:
    """Accept what JSON Schema calls an integer (2 or 2.0), never a string or a boolean."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    if isinstance(value, float):
        if not value.is_integer():
            raise PydanticCustomError(
                "int_from_float", "Input should be a valid integer, got a number with a fractional part"
            )
        return int(value)
    return value


ProductId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")]
CustomerId = Annotated[
    str, StringConstraints(min_length=1, max_length=128, pattern=rf"^{_ID_EDGE}(?:[^{_CONTROL}]*{_ID_EDGE})?$")
]
Note = Annotated[str, StringConstraints(max_length=MAX_NOTE_LENGTH, pattern=rf"^[^{_NOTE_CONTROL}]*$")]
Quantity = Annotated[int, Field(ge=1, le=MAX_QUANTITY_PER_ITEM), BeforeValidator(_json_integer)]
OrderId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]
Cents = Annotated[int, Field(ge=0)]


def _timestamp_text(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# Every time on the wire and in the table, in one fixed-width form (UTC, microseconds, `Z`), so that text order is
# time order: the orders-by-customer index sorts on `createdAt` as a string. (pydantic's own form drops a zero
# fraction, and "12:00:00Z" sorts after "12:00:00.5Z".)
Timestamp = Annotated[AwareDatetime, PlainSerializer(_timestamp_text, return_type=str, when_used="json")]


def utc_now() -> datetime:
    return datetime.now(UTC)


class ApiModel(BaseModel):
    """camelCase on the wire, immutable in code."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)


class OrderStatus(StrEnum):
    """An order's lifecycle: PENDING -> CONFIRMED | REJECTED, and PENDING | CONFIRMED -> CANCELLED.

    PENDING: accepted and queued, not yet priced. CONFIRMED and REJECTED: decided by the processor from the
    catalog. CANCELLED: cancelled by the shopper, before or after pricing; never priced or confirmed after.
    """

    PENDING = "PENDING"
    CONFIRMED = "CONFIRMED"
    REJECTED = "REJECTED"
    CANCELLED = "CANCELLED"


# The statuses an order may be cancelled from.
CANCELLABLE = frozenset({OrderStatus.PENDING, OrderStatus.CONFIRMED})


class LineRejection(StrEnum):
    """Why the processor refused one line of a REJECTED order (machine-readable; the reason text names it)."""

    PRODUCT_UNAVAILABLE = "PRODUCT_UNAVAILABLE"
    UNKNOWN_PRODUCT = "UNKNOWN_PRODUCT"


class OrderLine(ApiModel):
    model_config = ConfigDict(extra="forbid")

    product_id: ProductId
    quantity: Quantity


class CreateOrderRequest(ApiModel):
    """What a client sends to POST /orders. Prices are deliberately absent: they come from the catalog, and so is
    the customer: it is the signed-in shopper, from the verified token, never from the body (`customerId` in a body
    is refused like any unknown field)."""

    model_config = ConfigDict(extra="forbid")

    items: list[OrderLine] = Field(min_length=1, max_length=MAX_ITEMS_PER_ORDER)
    note: Note | None = None


class OrderMessage(ApiModel):
    """The message the API puts on the queue and the processor consumes.

    `request_hash` is the hash of the request that made the order (ordering.request_hash): the processor
    stores a priced order only over a PENDING one made by the same request, so a message left over from
    a request that lost a race for its Idempotency-Key is never priced.
    """

    order_id: OrderId
    customer_id: CustomerId
    items: list[OrderLine] = Field(min_length=1, max_length=MAX_ITEMS_PER_ORDER)
    note: Note | None = None
    created_at: Timestamp
    # Empty in messages queued before the API sent it: those orders have no PENDING record to compare with.
    request_hash: str = ""
    correlation_id: str | None = None


class PricedLine(ApiModel):
    """A line of an order: as submitted while PENDING, with the catalog's name and prices once priced."""

    product_id: str
    name: str | None = None
    quantity: int
    unit_price_cents: Cents | None = None
    line_total_cents: Cents | None = None
    rejection_code: LineRejection | None = None


class Order(ApiModel):
    """An order as stored in DynamoDB, answered by POST /orders (202) and GET /orders/{orderId}.

    Times are UTC; money is in minor units of `currency`, which is set once the order is priced.
    """

    order_id: OrderId
    customer_id: str  # the `sub` of the shopper who placed it (their Cognito user's id)
    status: OrderStatus
    items: list[PricedLine]
    total_cents: Cents | None = None
    currency: str | None = None
    rejection_reason: str | None = None
    note: str | None = None
    created_at: Timestamp
    updated_at: Timestamp
    cancelled_at: Timestamp | None = None


class OrderPage(ApiModel):
    """GET /orders: the caller's orders, newest first; `next_cursor` asks for the next page (None: the last one)."""

    orders: list[Order]
    next_cursor: str | None = None


@dataclass(frozen=True)
class StoredOrder:
    """An order as the orders table holds it, with the hash of the request that made it."""

    order: Order
    request_hash: str


@dataclass(frozen=True)
class CustomerOrderKey:
    """Where an order sits in its customer's list, newest first: `createdAt` as stored (the index's sort key), then
    `orderId` (the table's key), which together resume a listing after that order."""

    created_at: str
    order_id: str


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

    @cached_property
    def products_by_id(self) -> dict[str, Product]:
        """Built once per catalog: the processor caches the catalog, and prices every record from it."""
        return {product.product_id: product for product in self.products}
