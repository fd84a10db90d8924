"""POST /orders through the API handler, with SQS and DynamoDB answered by moto."""

from __future__ import annotations

import base64
import json
import os
import uuid
from typing import Any

import pytest

from services.api.handler import lambda_handler
from tests.support.events import SHOPPER, LambdaContext, post_order_event

VALID_ORDER = {
    "items": [
        {"productId": "espresso-beans-1kg", "quantity": 2},
        {"productId": "ceramic-mug", "quantity": 1},
    ],
    "note": "Ring twice",
}


def call(event: dict[str, Any]) -> tuple[int, dict[str, str], dict[str, Any]]:
    response = lambda_handler(event, LambdaContext())
    return response["statusCode"], response.get("headers", {}), json.loads(response["body"])


def test_valid_order_is_queued_and_accepted(aws):
    # Given a valid order
    event = post_order_event(VALID_ORDER)

    # When it is posted
    status, headers, body = call(event)

    # Then it is accepted, addressable and queued once, carrying the request's correlation id
    assert status == 202
    assert body["status"] == "PENDING"
    assert body["customerId"] == SHOPPER  # the token's sub
    assert headers["Location"] == f"/orders/{body['orderId']}"
    messages = aws.queued_messages()
    assert len(messages) == 1
    queued = json.loads(messages[0]["Body"])
    assert queued["orderId"] == body["orderId"]
    assert queued["items"] == VALID_ORDER["items"]
    request_id = event["requestContext"]["requestId"]
    assert queued["correlationId"] == request_id
    assert messages[0]["MessageAttributes"]["correlationId"]["StringValue"] == request_id


def test_order_ids_are_unique_and_unguessable(aws):
    ids = {call(post_order_event(VALID_ORDER))[2]["orderId"] for _ in range(20)}
    assert len(ids) == 20
    # Version 4, random (RFC 9562): not version 1, whose time and hardware address a reader could guess.
    assert {uuid.UUID(order_id).version for order_id in ids} == {4}
    assert all(str(uuid.UUID(order_id)) == order_id for order_id in ids)


def test_a_keyed_order_id_is_a_uuid5_of_the_key_in_the_customers_namespace_in_the_stages(aws):
    _, _, body = call(post_order_event(VALID_ORDER, {"idempotency-key": "checkout-777"}))

    stage_namespace = uuid.UUID(os.environ["ORDER_ID_NAMESPACE"])
    customer_namespace = uuid.uuid5(stage_namespace, SHOPPER)
    assert body["orderId"] == str(uuid.uuid5(customer_namespace, "checkout-777"))
    assert body["orderId"] != str(uuid.uuid5(uuid.NAMESPACE_URL, "checkout-777"))  # not a public namespace


@pytest.mark.parametrize(("size", "status"), [(64 * 1024, 202), (64 * 1024 + 1, 413)])
def test_the_body_limit_is_64_kib_exactly(aws, size, status):
    text = json.dumps(VALID_ORDER)
    padded = text[:-1] + " " * (size - len(text.encode())) + "}"  # JSON whitespace: still a valid order
    assert len(padded.encode()) == size
    assert call(post_order_event(padded, raw=True))[0] == status


def test_prices_sent_by_the_client_are_refused(aws):
    order = {**VALID_ORDER, "items": [{"productId": "ceramic-mug", "quantity": 1, "priceCents": 1}]}
    status, _, body = call(post_order_event(order))
    assert status == 422
    assert body["error"]["details"][0]["loc"] == ["body", "items", 0, "priceCents"]
    assert aws.queued_messages() == []


def _order(**changes: Any) -> dict[str, Any]:
    return {**VALID_ORDER, **changes}


def _without(field: str) -> dict[str, Any]:
    return {key: value for key, value in VALID_ORDER.items() if key != field}


def _line(quantity: Any, product_id: Any = "ceramic-mug") -> dict[str, Any]:
    return _order(items=[{"productId": product_id, "quantity": quantity}])


UNPROCESSABLE = [
    # The customer is the token's: a body naming one is refused like any unknown field, whoever it names.
    pytest.param(_order(customerId=SHOPPER), ["body", "customerId"], id="customerId-even-ones-own"),
    pytest.param(_order(customerId="someone-else"), ["body", "customerId"], id="customerId-another"),
    pytest.param(_order(note="bell\u0007"), ["body", "note"], id="note-control-char"),
    pytest.param(_order(note="nul\u0000"), ["body", "note"], id="note-nul"),
    pytest.param(_without("items"), ["body", "items"], id="items-missing"),
    pytest.param(_order(items=[]), ["body", "items"], id="items-empty"),
    pytest.param(_order(items="espresso"), ["body", "items"], id="items-not-a-list"),
    pytest.param(
        _order(items=[{"productId": f"p{i}", "quantity": 1} for i in range(51)]),
        ["body", "items"],
        id="51-items",
    ),
    pytest.param(_line(0), ["body", "items", 0, "quantity"], id="quantity-zero"),
    pytest.param(_line(-1), ["body", "items", 0, "quantity"], id="quantity-negative"),
    pytest.param(_line(101), ["body", "items", 0, "quantity"], id="quantity-over-100"),
    pytest.param(_line("2"), ["body", "items", 0, "quantity"], id="quantity-a-string"),
    pytest.param(_line(1.5), ["body", "items", 0, "quantity"], id="quantity-fractional"),
    pytest.param(_line(True), ["body", "items", 0, "quantity"], id="quantity-boolean"),
    pytest.param(_line(10**30), ["body", "items", 0, "quantity"], id="quantity-huge"),
    pytest.param(_line(1, "bad id!"), ["body", "items", 0, "productId"], id="productId-invalid"),
    pytest.param(_line(1, ""), ["body", "items", 0, "productId"], id="productId-empty"),
    pytest.param(_order(note="n" * 501), ["body", "note"], id="note-too-long"),
    pytest.param(_order(extra="field"), ["body", "extra"], id="unknown-field"),
    pytest.param([VALID_ORDER], ["body"], id="body-is-a-list"),
    pytest.param("an order", ["body"], id="body-is-a-string"),
    pytest.param(None, ["body"], id="body-is-null"),
]


@pytest.mark.parametrize(("body", "location"), UNPROCESSABLE)
def test_invalid_orders_get_a_422_naming_the_field(aws, body, location):
    status, _, answer = call(post_order_event(body))

    assert status == 422
    assert answer["error"]["code"] == "VALIDATION_ERROR"
    details = answer["error"]["details"]
    assert details, "a 422 must say what is wrong"
    assert any(detail["loc"][: len(location)] == location for detail in details), details
    assert all(detail["msg"] and detail["type"] for detail in details)
    assert aws.queued_messages() == []


LONE_SURROGATE_JSON = '{"note": "\\ud800", "items": [{"productId": "ceramic-mug", "quantity": 1}]}'

MALFORMED = [
    pytest.param({"body": "{not json", "raw": True}, 400, "INVALID_JSON", id="invalid-json"),
    pytest.param({"body": '{"a": 1', "raw": True}, 400, "INVALID_JSON", id="truncated-json"),
    pytest.param({"body": "[" * 5000 + "]" * 5000, "raw": True}, 400, "INVALID_JSON", id="deep-nesting"),
    pytest.param({"body": '{"q": ' + "9" * 5000 + "}", "raw": True}, 400, "INVALID_JSON", id="5000-digit-int"),
    pytest.param(
        {"body": base64.b64encode(b'{"note": "\xff\xfe"}').decode(), "raw": True, "is_base64": True},
        400,
        "INVALID_ENCODING",
        id="non-utf8",
    ),
    pytest.param({"body": "%%%", "raw": True, "is_base64": True}, 400, "INVALID_ENCODING", id="bad-base64"),
    # The event is JSON: a "\\ud800" escape in API Gateway's payload arrives as a lone surrogate in the str.
    pytest.param({"body": '{"note": "\ud800"}', "raw": True}, 400, "INVALID_ENCODING", id="surrogate-in-event"),
    pytest.param({"body": "x" * (64 * 1024 + 1), "raw": True}, 413, "PAYLOAD_TOO_LARGE", id="huge-body"),
    pytest.param(
        {
            "body": "note=x",
            "raw": True,
            "headers": {"content-type": "application/x-www-form-urlencoded"},
        },
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        id="form-encoded",
    ),
    pytest.param(
        {"body": VALID_ORDER, "headers": {"content-type": "text/plain"}},
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        id="text",
    ),
    pytest.param({"body": "", "raw": True}, 422, "VALIDATION_ERROR", id="empty-body"),
    pytest.param({"body": LONE_SURROGATE_JSON, "raw": True}, 422, "VALIDATION_ERROR", id="lone-surrogate"),
]


@pytest.mark.parametrize(("request_args", "status", "code"), MALFORMED)
def test_malformed_requests_get_a_clear_4xx(aws, request_args, status, code):
    request_args = dict(request_args)  # the parameter is shared by every run of this test in the process
    body = request_args.pop("body")
    headers = request_args.pop("headers", None)
    event = post_order_event(body, headers, **request_args)

    answer_status, answer_headers, answer = call(event)

    assert answer_status == status
    assert answer["error"]["code"] == code
    assert answer["error"]["message"]
    assert answer_headers["Content-Type"].startswith("application/json")
    assert aws.queued_messages() == []


def test_a_body_without_content_type_is_read_as_json(aws):
    # API Gateway adds no Content-Type; clients that send none still place orders.
    event = post_order_event(VALID_ORDER)
    del event["headers"]["content-type"]
    status, _, body = call(event)
    assert status == 202, body
    assert len(aws.queued_messages()) == 1


def test_a_json_content_type_with_several_parameters_is_accepted(aws):
    status, _, body = call(post_order_event(VALID_ORDER, {"content-type": "application/json; charset=utf-8; v=1"}))
    assert status == 202, body


REFUSED_BEFORE_ROUTING = [
    pytest.param("{not json", False, {}, 400, "INVALID_JSON", "Body is not valid JSON", id="json"),
    pytest.param("%%%", True, {}, 400, "INVALID_ENCODING", "Body is not valid base64", id="base64"),
    pytest.param(
        base64.b64encode(b"\xff").decode(), True, {}, 400, "INVALID_ENCODING", "Body is not valid UTF-8", id="utf-8"
    ),
    pytest.param("x" * (64 * 1024 + 1), False, {}, 413, "PAYLOAD_TOO_LARGE", "Body exceeds 65536 bytes", id="size"),
    pytest.param(
        "{}",
        False,
        {"content-type": "text/plain"},
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        "Content-Type must be application/json",
        id="media-type",
    ),
]


@pytest.mark.parametrize(("body", "is_base64", "headers", "status", "code", "message"), REFUSED_BEFORE_ROUTING)
def test_a_body_refused_before_routing_is_answered_as_plain_json_with_no_empty_fields(
    aws, body, is_base64, headers, status, code, message
):
    # Refused by request_guard before Powertools runs: the handler builds the proxy response itself.
    response = lambda_handler(post_order_event(body, headers, is_base64=is_base64, raw=True), LambdaContext())

    assert response["statusCode"] == status
    assert response["isBase64Encoded"] is False  # API Gateway would otherwise base64-decode the JSON
    assert response["headers"]["Content-Type"] == "application/json"
    assert json.loads(response["body"]) == {"error": {"code": code, "message": message}}


def test_an_integral_number_is_an_integer_as_json_schema_says(aws):
    # JSON Schema's "integer" admits 2.0; the model must agree with the published document.
    status, _, body = call(post_order_event(_line(2.0)))
    assert status == 202
    assert body["items"][0]["quantity"] == 2


def test_a_product_on_two_lines_is_two_lines(aws):
    # The schema cannot say "unique by productId", so the API does not demand it: each line is priced.
    status, _, body = call(post_order_event(_order(items=[{"productId": "ceramic-mug", "quantity": 1}] * 2)))
    assert status == 202
    assert len(body["items"]) == 2


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/orders", "GET, POST"),
        ("TRACE", "/orders", "GET, POST"),
        ("QUERY", "/orders", "GET, POST"),
        ("DELETE", "/orders/abc", "GET"),
    ],
)
def test_undeclared_methods_are_405_with_allow(aws, method, path, allowed):
    event = post_order_event(VALID_ORDER)
    event["requestContext"]["http"]["method"] = method
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    status, headers, body = call(event)
    assert status == 405
    assert headers["Allow"] == allowed
    assert body["error"]["code"] == "METHOD_NOT_ALLOWED"
    assert aws.queued_messages() == []


@pytest.mark.parametrize("content_type", ["Application/JSON", "APPLICATION/JSON; Charset=UTF-8"])
def test_a_media_type_in_any_case_is_json(aws, content_type):
    # Media types are case-insensitive (RFC 9110 section 8.3.1); Powertools compared them as written (a 500).
    status, _, body = call(post_order_event(VALID_ORDER, {"content-type": content_type}))
    assert status == 202, body


def test_json_content_type_with_charset_is_accepted(aws):
    status, _, _ = call(post_order_event(VALID_ORDER, {"content-type": "application/json; charset=utf-8"}))
    assert status == 202


def test_unicode_in_text_fields_is_kept(aws):
    order = _order(note="Près de la fenêtre, 窓の近く ☕ Zoë 🚀")
    status, _, body = call(post_order_event(order))
    assert status == 202
    assert body["note"] == order["note"]
    assert json.loads(aws.queued_messages()[0]["Body"])["note"] == order["note"]


@pytest.mark.parametrize(
    ("offline_body", "status"),
    [
        pytest.param(VALID_ORDER, 202, id="object"),
        pytest.param(0, 422, id="zero"),
        pytest.param(False, 422, id="false"),
    ],
)
def test_bodies_already_parsed_by_serverless_offline_are_handled(aws, offline_body, status):
    # serverless-offline hands some bodies over as parsed JSON values instead of text.
    event = post_order_event(offline_body, raw=True)
    assert call(event)[0] == status


def test_unknown_route_is_a_json_404(aws):
    event = post_order_event(VALID_ORDER)
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/nope"
    status, _, body = call(event)
    assert status == 404
    assert body["error"]["code"] == "ROUTE_NOT_FOUND"


def test_queue_unavailable_is_a_503_and_loses_nothing(aws):
    # Given the queue is gone
    aws.sqs.delete_queue(QueueUrl=aws.queue_url)

    # When an order is posted
    status, headers, body = call(post_order_event(VALID_ORDER))

    # Then the client is told to retry: the order was not accepted, so nothing is lost
    assert status == 503
    assert body["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert headers["Retry-After"] == "1"


def test_queue_failures_are_logged_naming_the_step(aws, log_lines):
    from botocore.exceptions import ClientError

    from orders.data.clients import aws_client

    def throttle(**_: Any) -> None:
        raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}}, "SendMessage")

    # A queue that cannot be found, then a queue found that refuses the message
    aws.sqs.delete_queue(QueueUrl=aws.queue_url)
    assert call(post_order_event(VALID_ORDER))[0] == 503
    aws.sqs.create_queue(QueueName=os.environ["ORDER_QUEUE_NAME"])
    aws_client("sqs").meta.events.register("before-parameter-build.sqs.SendMessage", throttle)
    assert call(post_order_event(VALID_ORDER))[0] == 503

    logged = [line["error"] for line in log_lines() if line["message"] == "dependency unavailable"]
    assert [error.split(": ")[0] for error in logged] == [
        "looking up the order queue failed",
        "sending an order to the queue failed",
    ]
    assert logged[1] == "sending an order to the queue failed: ThrottlingException"


def test_a_failed_pending_write_is_a_503_logged_as_a_failed_store(aws, log_lines):
    # Given the table throttles the API's PENDING write (the queue has taken the message by then)
    from botocore.exceptions import ClientError

    from orders.data.clients import aws_client

    def throttle(**_: Any) -> None:
        raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}}, "PutItem")

    aws_client("dynamodb").meta.events.register("before-parameter-build.dynamodb.PutItem", throttle)

    # When an order is posted
    status, headers, body = call(post_order_event(VALID_ORDER))

    # Then the client is told to retry, and the log names the step that failed and AWS's error code
    assert (status, body["error"]["code"], headers["Retry-After"]) == (503, "SERVICE_UNAVAILABLE", "1")
    logged = [line for line in log_lines() if line["message"] == "dependency unavailable"]
    assert [line["error"] for line in logged] == ["storing an order failed: ThrottlingException"]
    assert len(aws.queued_messages()) == 1  # queued first: the processor will store the order


def test_accepted_orders_are_counted_in_metrics(aws, capsys):
    call(post_order_event(VALID_ORDER))
    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    assert any(metric.get("OrdersAccepted") == [1.0] or metric.get("OrdersAccepted") == 1.0 for metric in emitted)


def test_an_unexpected_error_is_a_json_500_not_an_escaped_exception(aws):
    # On AWS an exception escaping the handler is API Gateway's bare 500; under serverless-offline it kills
    # the runner and the client waits the whole timeout for an HTTP 200. Neither may happen.
    from orders.data.clients import aws_client

    def fail(**_: Any) -> None:
        raise RuntimeError("injected: a bug below the handler")

    aws_client("sqs").meta.events.register("before-call.sqs.SendMessage", fail)
    status, headers, body = call(post_order_event(VALID_ORDER))
    assert status == 500
    assert headers["Content-Type"] == "application/json"
    assert body == {"error": {"code": "INTERNAL_ERROR", "message": "Internal error"}}
