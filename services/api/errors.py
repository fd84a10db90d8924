"""Every error the API answers, in one shape: {"error": {"code", "message", "details"?}}.

Exception handlers are registered here, one per failure, so that no exception ever escapes the handler:
on AWS an escaped exception is a bare 500, and under serverless-offline a slow HTTP 200.
"""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel, TypeAdapter, ValidationError

from orders.errors import DependencyUnavailableError
from orders.models import OrderId
from orders.observability import logger
from services.api.ordering import (
    IdempotencyKeyReusedError,
    InvalidCursorError,
    OrderNotCancellableError,
    OrderNotFoundError,
)
from services.api.request_guard import BodyRejectedError

RETRY_AFTER_SECONDS = "1"


class ErrorDetail(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ErrorInfo(BaseModel):
    code: str
    message: str
    details: list[ErrorDetail] | None = None


class ErrorResponse(BaseModel):
    error: ErrorInfo


class GatewayErrorResponse(BaseModel):
    """What API Gateway itself answers, e.g. its JWT authorizer's 401: {"message": "Unauthorized"}."""

    message: str


def error_response(
    status: HTTPStatus,
    code: str,
    message: str,
    details: list[ErrorDetail] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[dict[str, Any]]:
    body = ErrorResponse(error=ErrorInfo(code=code, message=message, details=details))
    return Response(
        status_code=status.value,
        content_type=content_types.APPLICATION_JSON,
        body=body.model_dump(exclude_none=True),
        headers=headers,
    )


def _proxy_response(status: HTTPStatus, error: ErrorInfo, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """A Lambda proxy response, for a request answered before the resolver ran."""
    return {
        "statusCode": status.value,
        "headers": {"Content-Type": content_types.APPLICATION_JSON, **(headers or {})},
        "body": ErrorResponse(error=error).model_dump_json(exclude_none=True),
        "isBase64Encoded": False,
    }


def rejection_response(rejection: BodyRejectedError) -> dict[str, Any]:
    """The answer to a body refused before the resolver ran."""
    details = [ErrorDetail.model_validate(detail) for detail in rejection.details or []] or None
    return _proxy_response(rejection.status, ErrorInfo(code=rejection.code, message=rejection.message, details=details))


def unauthorized_response() -> dict[str, Any]:
    """401 for a request that reached the function without a verified access token (RFC 6750's challenge)."""
    return _proxy_response(
        HTTPStatus.UNAUTHORIZED,
        ErrorInfo(code="UNAUTHORIZED", message="Sign in: this API needs a valid access token"),
        headers={"WWW-Authenticate": "Bearer"},
    )


def documented(description: str) -> OpenAPIResponse:
    return {"description": description, "content": {"application/json": {"model": ErrorResponse}}}


# Shared by the routes' `responses=` so that the OpenAPI document lists exactly what is answered.
VALIDATION_FAILED: dict[int, OpenAPIResponse] = {
    422: documented("The request does not match the schema; `details` names each field.")
}
MALFORMED_REQUEST: dict[int, OpenAPIResponse] = {
    400: documented("The body is not valid JSON or not valid UTF-8."),
    413: documented("The body is larger than the API accepts."),
    415: documented("The body is not application/json."),
}
UNAUTHORIZED: dict[int, OpenAPIResponse] = {
    401: {
        "description": (
            "No valid access token: sign in and send `Authorization: Bearer <access token>`. API Gateway's JWT"
            ' authorizer answers this itself, `{"message": "Unauthorized"}`, before the function runs; the'
            " function answers a request that reached it without a verified token in its own error shape."
        ),
        "content": {"application/json": {"model": GatewayErrorResponse | ErrorResponse}},
    }
}
UNAVAILABLE: dict[int, OpenAPIResponse] = {
    503: documented("A dependency is unavailable; retry after the Retry-After header.")
}
# POST /orders: what a 5xx leaves behind, since the message may have been queued before the failure.
UNAVAILABLE_WHILE_PLACING: dict[int, OpenAPIResponse] = {
    503: documented(
        "A dependency is unavailable; retry after the Retry-After header. The order may have been made all the"
        " same: with an Idempotency-Key, a retry with the same key and body answers it (or makes it); without"
        " a key a 5xx guarantees nothing."
    )
}
INTERNAL: dict[int, OpenAPIResponse] = {
    500: documented("An unexpected error; it is logged with the request's correlation id.")
}


# Every route the API serves (API Gateway's path syntax) and the methods it serves there (as the Allow header
# lists them). The template routes the other methods of these paths to the function too, and the fallback below
# answers them 405.
ROUTES: dict[str, tuple[str, ...]] = {
    "/orders": ("GET", "POST"),
    "/orders/{orderId}": ("GET",),
    "/orders/{orderId}/cancel": ("POST",),
}
# How each path parameter is validated: the same rule as the route's own parameter (models.OrderId).
PATH_PARAMETERS: dict[str, TypeAdapter[str]] = {"orderId": TypeAdapter(OrderId)}


def _path_pattern(route: str) -> re.Pattern[str]:
    """`/orders/{orderId}` -> a regex matching one whole path segment per parameter, as API Gateway does."""
    parts = re.split(r"\{(\w+)\}", route)
    return re.compile(
        "^" + "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts)) + "$"
    )


_ROUTE_PATTERNS = [(_path_pattern(route), method) for route, method in ROUTES.items()]


def _invalid_path_parameters(parameters: dict[str, str]) -> list[ErrorDetail]:
    details: list[ErrorDetail] = []
    for name, value in parameters.items():
        try:
            PATH_PARAMETERS[name].validate_python(value)
        except ValidationError as error:
            details += [ErrorDetail(loc=["path", name], msg=item["msg"], type=item["type"]) for item in error.errors()]
    return details


def register_error_handlers(app: APIGatewayHttpResolver) -> None:
    @app.exception_handler(RequestValidationError)
    def _invalid_request(error: RequestValidationError) -> Response[dict[str, Any]]:
        details = [
            ErrorDetail(loc=list(item.get("loc", ())), msg=str(item.get("msg", "")), type=str(item.get("type", "")))
            for item in error.errors()
        ]
        return error_response(HTTPStatus.UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "Request validation failed", details)

    @app.exception_handler(OrderNotFoundError)
    def _order_not_found(error: OrderNotFoundError) -> Response[dict[str, Any]]:
        logger.info("order not found", extra={"order_id": error.order_id})
        return error_response(HTTPStatus.NOT_FOUND, "ORDER_NOT_FOUND", str(error))

    @app.not_found
    def _route_not_found(_: NotFoundError) -> Response[dict[str, Any]]:
        event = app.current_event
        for pattern, allowed in _ROUTE_PATTERNS:
            match = pattern.match(event.path)
            if match is None:
                continue
            if event.http_method not in allowed:
                return error_response(
                    HTTPStatus.METHOD_NOT_ALLOWED,
                    "METHOD_NOT_ALLOWED",
                    f"Use {' or '.join(allowed)} on this path",
                    headers={"Allow": ", ".join(allowed)},
                )
            # The route and method exist, but Powertools' router takes only some characters in a path
            # parameter, and API Gateway passes it percent-decoded ('/orders/%E2%98%83' arrives as
            # '/orders/☃'): answer what validation answers any other id outside the rule.
            details = _invalid_path_parameters(match.groupdict())
            if details:
                return error_response(
                    HTTPStatus.UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "Request validation failed", details
                )
        return error_response(HTTPStatus.NOT_FOUND, "ROUTE_NOT_FOUND", "No such route")

    @app.exception_handler(IdempotencyKeyReusedError)
    def _key_reused(_: IdempotencyKeyReusedError) -> Response[dict[str, Any]]:
        # 409: the body conflicts with the request this key was first used for. (The IETF draft suggests
        # 422, which clients and fuzzers read as "this body is invalid"; the body alone is valid.)
        return error_response(
            HTTPStatus.CONFLICT,
            "IDEMPOTENCY_KEY_REUSED",
            "This Idempotency-Key was already used with a different request body",
        )

    @app.exception_handler(InvalidCursorError)
    def _invalid_cursor(error: InvalidCursorError) -> Response[dict[str, Any]]:
        detail = ErrorDetail(loc=["query", "cursor"], msg=str(error), type="invalid_cursor")
        return error_response(
            HTTPStatus.UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "Request validation failed", [detail]
        )

    @app.exception_handler(OrderNotCancellableError)
    def _not_cancellable(error: OrderNotCancellableError) -> Response[dict[str, Any]]:
        return error_response(
            HTTPStatus.CONFLICT,
            "ORDER_NOT_CANCELLABLE",
            f"This order is {error.order.status.value}: only PENDING and CONFIRMED orders can be cancelled",
        )

    @app.exception_handler(DependencyUnavailableError)
    def _unavailable(error: DependencyUnavailableError) -> Response[dict[str, Any]]:
        logger.warning("dependency unavailable", extra={"error": str(error)})
        return error_response(
            HTTPStatus.SERVICE_UNAVAILABLE,
            "SERVICE_UNAVAILABLE",
            "The order service is temporarily unavailable; retry shortly",
            headers={"Retry-After": RETRY_AFTER_SECONDS},
        )

    @app.exception_handler(Exception)
    def _unexpected(_: Exception) -> Response[dict[str, Any]]:
        logger.exception("unhandled error")
        return error_response(HTTPStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "Internal error")
