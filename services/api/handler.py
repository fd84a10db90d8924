"""The API Lambda: POST /orders and GET /orders/{orderId} behind an API Gateway HTTP API."""

from __future__ import annotations

# ruff: noqa: E402 - the imports below come after pausing the garbage collector, on purpose.
from orders.cold_start import pause_collector, resume_collector

pause_collector()

from dataclasses import dataclass
from functools import cache
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Header, Path
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
from aws_lambda_powertools.utilities.idempotency.serialization.pydantic import PydanticSerializer
from aws_lambda_powertools.utilities.typing import LambdaContext

from orders.config import get_settings
from orders.data.clients import aws_client
from orders.data.deadline import call_deadline
from orders.data.order_queue import OrderQueue
from orders.data.order_table import OrderTable
from orders.idempotency import (
    IDEMPOTENCY_KEY_FIELD,
    IDEMPOTENT_PAYLOAD_FIELD,
    idempotency_config,
    idempotency_store,
)
from orders.models import AcceptedOrder, CreateOrderRequest, Order, OrderId
from orders.observability import MetricUnit, logger, metrics
from services.api import errors
from services.api.ordering import accept_order, find_order
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
        description="Any unique printable string; a retry with the same key and body answers the same order.",
    ),
]
OrderIdParam = Annotated[OrderId, Path(alias="orderId")]


@dataclass(frozen=True)
class Dependencies:
    queue: OrderQueue
    orders: OrderTable
    idempotency: IdempotencyConfig
    accept_idempotently: Any


@cache
def dependencies() -> Dependencies:
    """Built on first request, not at import: tests and the OpenAPI generator import this module freely."""
    settings = get_settings()
    dynamodb = aws_client("dynamodb")
    queue = OrderQueue(aws_client("sqs"), settings.order_queue_name)
    config = idempotency_config(settings.idempotency_ttl_seconds)

    @idempotent_function(
        data_keyword_argument="submission",
        persistence_store=idempotency_store(dynamodb, settings.idempotency_table_name),
        config=config,
        output_serializer=PydanticSerializer(AcceptedOrder),
    )
    def accept_idempotently(*, submission: dict[str, Any], request: CreateOrderRequest) -> AcceptedOrder:
        return accept_order(request, logger.get_correlation_id(), queue)

    return Dependencies(
        queue=queue,
        orders=OrderTable(dynamodb, settings.orders_table_name),
        idempotency=config,
        accept_idempotently=accept_idempotently,
    )


@app.post(
    "/orders",
    status_code=HTTPStatus.ACCEPTED,
    summary="Place an order",
    responses={
        202: {
            "description": "Accepted: the order is queued for pricing",
            "content": {"application/json": {"model": AcceptedOrder}},
        },
        **errors.MALFORMED_REQUEST,
        **errors.VALIDATION_FAILED,
        409: errors.documented("A request with the same Idempotency-Key is still in progress."),
        **errors.UNAVAILABLE,
        **errors.INTERNAL,
    },
)
def place_order(order: CreateOrderRequest, idempotency_key: IdempotencyKey = None) -> Response[AcceptedOrder]:
    deps = dependencies()
    if idempotency_key is None:
        accepted = accept_order(order, logger.get_correlation_id(), deps.queue)
    else:
        submission = {
            IDEMPOTENCY_KEY_FIELD: idempotency_key,
            IDEMPOTENT_PAYLOAD_FIELD: order.model_dump(mode="json", by_alias=True),
        }
        # Lets Powertools expire an in-progress record if this invocation times out, so a retry can proceed.
        deps.idempotency.register_lambda_context(app.lambda_context)
        accepted = deps.accept_idempotently(submission=submission, request=order)
    metrics.add_metric(name="OrdersAccepted", unit=MetricUnit.Count, value=1)
    return Response(
        status_code=HTTPStatus.ACCEPTED.value,
        content_type=content_types.APPLICATION_JSON,
        body=accepted,
        headers={"Location": f"/orders/{accepted.order_id}"},
    )


@app.get(
    "/orders/<orderId>",
    summary="Get an order",
    responses={
        200: {"description": "The stored order", "content": {"application/json": {"model": Order}}},
        404: errors.documented("No order with this id is stored (yet: a queued order appears once priced)."),
        **errors.VALIDATION_FAILED,
        **errors.UNAVAILABLE,
        **errors.INTERNAL,
    },
)
def get_order(order_id: OrderIdParam) -> Order:
    return find_order(order_id, dependencies().orders)


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


resume_collector()  # the end of initialisation: see pause_collector() at the top
