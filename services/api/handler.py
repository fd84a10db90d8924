"""The API Lambda: POST and GET /orders, GET /orders/{orderId}, POST /orders/{orderId}/cancel behind an HTTP API.

Every route is the signed-in shopper's: API Gateway's JWT authorizer verifies the Cognito access token before
the function runs, and the customer is that token's `sub` (docs/security.md).
"""

from __future__ import annotations

# ruff: noqa: E402 - the imports below come after pausing the garbage collector, on purpose.
from orders.cold_start import pause_collector, paused_through_first_event

pause_collector()

from dataclasses import dataclass
from functools import cache
from http import HTTPStatus
from typing import Annotated, Any
from uuid import UUID

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Header, Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import TypeAdapter, ValidationError

from orders.config import get_settings
from orders.data.clients import aws_client
from orders.data.deadline import call_deadline
from orders.data.order_queue import OrderQueue
from orders.data.order_table import OrderTable
from orders.models import CreateOrderRequest, CustomerId, Order, OrderId, OrderPage
from orders.observability import MetricUnit, logger, metrics
from services.api import errors
from services.api.ordering import accept_order, cancel_order, find_order, list_orders
from services.api.request_guard import BodyRejectedError, normalise_body, normalise_path

app = APIGatewayHttpResolver(enable_validation=True)
errors.register_error_handlers(app)

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="idempotency-key",
        min_length=1,
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",
        description=(
            "Any unique printable string, best a random UUID: it names the order for good, so a retry with the"
            " same key and body answers the same order, after any failure. Without a key a 5xx guarantees"
            " nothing: the order may or may not have been made."
        ),
    ),
]
OrderIdParam = Annotated[OrderId, Path(alias="orderId")]
PageLimit = Annotated[int, Query(ge=1, le=50, description="How many orders a page holds at most.")]
PageCursor = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=1024,
        description="The `nextCursor` of the previous page, as received; omit it for the newest orders.",
    ),
]
_CUSTOMER_ID = TypeAdapter(CustomerId)


@dataclass(frozen=True)
class Dependencies:
    queue: OrderQueue
    orders: OrderTable
    order_id_namespace: UUID


@cache
def dependencies() -> Dependencies:
    """Built on first request, not at import: tests and the OpenAPI generator import this module freely."""
    settings = get_settings()
    return Dependencies(
        queue=OrderQueue(aws_client("sqs"), settings.order_queue_name),
        orders=OrderTable(aws_client("dynamodb"), settings.orders_table_name, settings.orders_customer_index_name),
        order_id_namespace=settings.order_id_namespace,
    )


def signed_in_customer(event: dict[str, Any]) -> str | None:
    """The caller's customer id: the `sub` of the access token API Gateway's JWT authorizer verified, or None.

    API Gateway puts the verified token's claims, as strings, in `requestContext.authorizer.jwt.claims`. It
    accepts a Cognito id token of the same client too (its `aud` names the client): only access tokens are
    taken here, as the local authorizer does (docs/aws-differences.md).
    """
    context = event.get("requestContext")
    authorizer = context.get("authorizer") if isinstance(context, dict) else None
    jwt = authorizer.get("jwt") if isinstance(authorizer, dict) else None
    claims = jwt.get("claims") if isinstance(jwt, dict) else None
    if not isinstance(claims, dict) or claims.get("token_use") != "access":
        return None
    try:
        return _CUSTOMER_ID.validate_python(claims.get("sub"))
    except ValidationError:
        return None


def _customer() -> str:
    """The signed-in customer of the request being resolved (checked by lambda_handler before routing)."""
    return str(app.context["customer_id"])


def _order_response(order: Order, status: HTTPStatus) -> Response[Order]:
    return Response(
        status_code=status.value,
        content_type=content_types.APPLICATION_JSON,
        body=order,
        headers={"Location": f"/orders/{order.order_id}"},
    )


@app.post(
    "/orders",
    status_code=HTTPStatus.ACCEPTED,
    summary="Place an order",
    responses={
        202: {
            "description": (
                "Accepted: the order is queued for pricing and stored PENDING; GET its Location to follow it."
                " The body is the order as stored, which may already be priced if the processor was quicker."
                " A retry with the same Idempotency-Key answers the same order, in its status now."
            ),
            "content": {"application/json": {"model": Order}},
        },
        **errors.MALFORMED_REQUEST,
        **errors.UNAUTHORIZED,
        **errors.VALIDATION_FAILED,
        409: errors.documented(
            "This Idempotency-Key names an order of yours made from a different request body (certain once that"
            " order is stored)."
        ),
        **errors.UNAVAILABLE_WHILE_PLACING,
        **errors.INTERNAL,
    },
)
def place_order(order: CreateOrderRequest, idempotency_key: IdempotencyKey = None) -> Response[Order]:
    deps = dependencies()
    accepted = accept_order(
        order,
        _customer(),
        idempotency_key,
        namespace=deps.order_id_namespace,
        correlation_id=logger.get_correlation_id(),
        queue=deps.queue,
        orders=deps.orders,
    )
    if accepted.changed:  # a replay of a key's order is not a new order
        metrics.add_metric(name="OrdersAccepted", unit=MetricUnit.Count, value=1)
    return _order_response(accepted.order, HTTPStatus.ACCEPTED)


@app.get(
    "/orders",
    summary="List your orders",
    responses={
        200: {
            "description": (
                "Your orders, newest first, in any status; `nextCursor` asks for the next page and is null on the"
                " last. Read from an index DynamoDB updates within about a second: an order just placed may be"
                " missing or in its previous status (GET /orders/{orderId} is always current)."
            ),
            "content": {"application/json": {"model": OrderPage}},
        },
        **errors.UNAUTHORIZED,
        422: errors.documented(
            "`limit` is outside 1-50, or `cursor` is malformed or another shopper's (cursors are not signed: one"
            " written by hand only moves within your own list)."
        ),
        **errors.UNAVAILABLE,
        **errors.INTERNAL,
    },
)
def list_my_orders(limit: PageLimit = 20, cursor: PageCursor = None) -> OrderPage:
    return list_orders(_customer(), limit, cursor, dependencies().orders)


@app.get(
    "/orders/<orderId>",
    summary="Get an order",
    responses={
        200: {
            "description": "The order, in any status: PENDING from the 202 on, then CONFIRMED, REJECTED or CANCELLED",
            "content": {"application/json": {"model": Order}},
        },
        404: errors.documented("You have no order with this id (another shopper's order is answered the same)."),
        **errors.UNAUTHORIZED,
        **errors.VALIDATION_FAILED,
        **errors.UNAVAILABLE,
        **errors.INTERNAL,
    },
)
def get_order(order_id: OrderIdParam) -> Order:
    return find_order(order_id, _customer(), dependencies().orders)


@app.post(
    "/orders/<orderId>/cancel",
    summary="Cancel an order",
    description="Needs no body; a body, if sent, must be JSON (it is read like any other, then ignored).",
    responses={
        200: {
            "description": (
                "The order, CANCELLED (with cancelledAt). Cancelling a cancelled order answers it unchanged."
            ),
            "content": {"application/json": {"model": Order}},
        },
        404: errors.documented("You have no order with this id (another shopper's order is answered the same)."),
        409: errors.documented("The order is REJECTED: only PENDING and CONFIRMED orders can be cancelled."),
        **errors.MALFORMED_REQUEST,
        **errors.UNAUTHORIZED,
        **errors.VALIDATION_FAILED,
        **errors.UNAVAILABLE,
        **errors.INTERNAL,
    },
)
def cancel(order_id: OrderIdParam) -> Order:
    cancelled = cancel_order(order_id, _customer(), dependencies().orders)
    if cancelled.changed:
        metrics.add_metric(name="OrdersCancelled", unit=MetricUnit.Count, value=1)
    return cancelled.order


@paused_through_first_event  # the end of initialisation: see pause_collector() at the top
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    normalise_path(event)
    customer_id = signed_in_customer(event)
    if customer_id is None:  # every route has the JWT authorizer: only a misconfigured route gets here
        logger.warning("request without a verified access token", extra={"route_key": event.get("routeKey")})
        return errors.unauthorized_response()
    try:
        normalise_body(event)
    except BodyRejectedError as rejection:
        return errors.rejection_response(rejection)
    app.append_context(customer_id=customer_id)  # type: ignore[no-untyped-call]  # Powertools leaves it untyped
    with call_deadline.within(context):  # a hanging dependency is a 503 before Lambda's timeout
        return app.resolve(event, context)
