"""The API Lambda: POST /orders, GET /orders/{orderId} and POST /orders/{orderId}/cancel behind an HTTP API."""

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
from aws_lambda_powertools.event_handler.openapi.params import Header, Path
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from orders.config import get_settings
from orders.data.clients import aws_client
from orders.data.deadline import call_deadline
from orders.data.order_queue import OrderQueue
from orders.data.order_table import OrderTable
from orders.models import CreateOrderRequest, Order, OrderId
from orders.observability import MetricUnit, logger, metrics
from services.api import errors
from services.api.ordering import accept_order, cancel_order, find_order
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
        orders=OrderTable(aws_client("dynamodb"), settings.orders_table_name),
        order_id_namespace=settings.order_id_namespace,
    )


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
                "Accepted: the order is stored PENDING and queued for pricing; GET its Location to follow it."
                " A retry with the same Idempotency-Key answers the same order, in its status now."
            ),
            "content": {"application/json": {"model": Order}},
        },
        **errors.MALFORMED_REQUEST,
        **errors.VALIDATION_FAILED,
        409: errors.documented(
            "This Idempotency-Key names an order made from a different request body (certain once that order"
            " is stored)."
        ),
        **errors.UNAVAILABLE_WHILE_PLACING,
        **errors.INTERNAL,
    },
)
def place_order(order: CreateOrderRequest, idempotency_key: IdempotencyKey = None) -> Response[Order]:
    deps = dependencies()
    accepted = accept_order(
        order, idempotency_key, deps.order_id_namespace, logger.get_correlation_id(), deps.queue, deps.orders
    )
    if accepted.changed:  # a replay of a key's order is not a new order
        metrics.add_metric(name="OrdersAccepted", unit=MetricUnit.Count, value=1)
    return _order_response(accepted.order, HTTPStatus.ACCEPTED)


@app.get(
    "/orders/<orderId>",
    summary="Get an order",
    responses={
        200: {
            "description": "The order, in any status: PENDING from the 202 on, then CONFIRMED, REJECTED or CANCELLED",
            "content": {"application/json": {"model": Order}},
        },
        404: errors.documented("No order with this id exists."),
        **errors.VALIDATION_FAILED,
        **errors.UNAVAILABLE,
        **errors.INTERNAL,
    },
)
def get_order(order_id: OrderIdParam) -> Order:
    return find_order(order_id, dependencies().orders)


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
        404: errors.documented("No order with this id exists."),
        409: errors.documented("The order is REJECTED: only PENDING and CONFIRMED orders can be cancelled."),
        **errors.MALFORMED_REQUEST,
        **errors.VALIDATION_FAILED,
        **errors.UNAVAILABLE,
        **errors.INTERNAL,
    },
)
def cancel(order_id: OrderIdParam) -> Order:
    cancelled = cancel_order(order_id, dependencies().orders)
    if cancelled.changed:
        metrics.add_metric(name="OrdersCancelled", unit=MetricUnit.Count, value=1)
    return cancelled.order


@paused_through_first_event  # the end of initialisation: see pause_collector() at the top
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    normalise_path(event)
    try:
        normalise_body(event)
    except BodyRejectedError as rejection:
        return errors.rejection_response(rejection)
    with call_deadline.within(context):  # a hanging dependency is a 503 before Lambda's timeout
        return app.resolve(event, context)
