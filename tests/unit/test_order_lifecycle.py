"""An order's lifecycle through both handlers: PENDING -> CONFIRMED | REJECTED; PENDING | CONFIRMED -> CANCELLED."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from services.api.handler import lambda_handler as api
from services.processor.handler import lambda_handler as processor
from tests.support.event_source import consume_until_empty
from tests.support.events import LambdaContext, get_order_event, http_api_event, post_order_event

ORDER = {"items": [{"productId": "ceramic-mug", "quantity": 2}], "note": "ring twice"}


def call(event: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    response = api(event, LambdaContext())
    return response["statusCode"], json.loads(response["body"])


def place(body: dict[str, Any] = ORDER) -> dict[str, Any]:
    status, order = call(post_order_event(body))
    assert status == 202, order
    return order


def get(order_id: str) -> tuple[int, dict[str, Any]]:
    return call(get_order_event(order_id))


def cancel(order_id: str) -> tuple[int, dict[str, Any]]:
    return call(http_api_event("POST", f"/orders/{order_id}/cancel", "POST /orders/{orderId}/cancel"))


def process_queue(aws) -> None:
    consume_until_empty(aws.sqs, aws.queue_url, processor)


def test_an_accepted_order_is_readable_at_once_as_pending_with_its_items_as_submitted(aws):
    accepted = place()

    status, order = get(accepted["orderId"])

    assert status == 200
    assert order == accepted
    assert order["status"] == "PENDING"
    assert [(line["productId"], line["quantity"]) for line in order["items"]] == [("ceramic-mug", 2)]
    assert all(line["unitPriceCents"] is None for line in order["items"])
    assert (order["totalCents"], order["currency"], order["note"]) == (None, None, "ring twice")


def test_processing_moves_pending_to_confirmed(aws):
    accepted = place()

    process_queue(aws)

    _, order = get(accepted["orderId"])
    assert (order["status"], order["totalCents"], order["currency"]) == ("CONFIRMED", 2800, "EUR")
    assert order["createdAt"] == accepted["createdAt"]
    assert order["updatedAt"] > accepted["updatedAt"]


def test_an_unknown_id_is_404_now_that_every_accepted_order_is_stored(aws):
    status, body = get("00000000-0000-4000-8000-000000000000")
    assert (status, body["error"]["code"]) == (404, "ORDER_NOT_FOUND")


def test_a_pending_order_can_be_cancelled_and_is_never_priced_afterwards(aws, log_lines):
    accepted = place()

    status, cancelled = cancel(accepted["orderId"])
    process_queue(aws)  # its message arrives after the cancel

    assert status == 200
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["cancelledAt"] == cancelled["updatedAt"]
    _, order = get(accepted["orderId"])
    assert order == cancelled
    assert order["totalCents"] is None
    outcomes = [line["outcome"] for line in log_lines() if line.get("message") == "order processed"]
    assert outcomes == ["CANCELLED"]


def test_a_confirmed_order_can_be_cancelled(aws):
    accepted = place()
    process_queue(aws)

    status, cancelled = cancel(accepted["orderId"])

    assert (status, cancelled["status"], cancelled["totalCents"]) == (200, "CANCELLED", 2800)


def test_cancelling_twice_answers_the_same_order_unchanged(aws):
    accepted = place()
    _, first = cancel(accepted["orderId"])

    status, second = cancel(accepted["orderId"])

    assert status == 200
    assert second == first  # same cancelledAt: the second cancel wrote nothing


def test_a_rejected_order_cannot_be_cancelled(aws):
    accepted = place({"items": [{"productId": "burr-grinder", "quantity": 1}]})
    process_queue(aws)

    status, body = cancel(accepted["orderId"])

    assert (status, body["error"]["code"]) == (409, "ORDER_NOT_CANCELLABLE")
    assert "REJECTED" in body["error"]["message"]
    _, order = get(accepted["orderId"])
    assert order["status"] == "REJECTED"


def test_cancelling_an_unknown_order_is_404(aws):
    status, body = cancel("00000000-0000-4000-8000-000000000000")
    assert (status, body["error"]["code"]) == (404, "ORDER_NOT_FOUND")
    assert body["error"]["message"] == "no order with id 00000000-0000-4000-8000-000000000000"


@pytest.mark.parametrize("key", [None, "processed-first"])
def test_an_order_the_processor_stores_before_its_pending_write_is_answered_as_stored(aws, capsys, key):
    # The processor may price the message before the API's PENDING write lands (docs/reliability.md):
    # that write then changes nothing, and the 202 answers the order as the table holds it. It is still this
    # request's new order, made from its own message: counted once (without a key no other request could).
    from orders.data.clients import aws_client

    def process_at_once(**_: Any) -> None:
        process_queue(aws)

    aws_client("sqs").meta.events.register("after-call.sqs.SendMessage", process_at_once)

    status, order = call(post_order_event(ORDER, {"idempotency-key": key} if key else None))

    assert status == 202
    assert metric_counts(capsys, "OrdersAccepted") == [1.0]

    assert order["status"] == "CONFIRMED"
    assert order["totalCents"] is not None
    _, stored = get(order["orderId"])
    assert stored == order


def test_cancelling_while_the_table_is_unavailable_is_a_503_logged_as_a_failed_cancel(aws, log_lines):
    aws.dynamodb.delete_table(TableName=os.environ["ORDERS_TABLE_NAME"])

    status, body = cancel("00000000-0000-4000-8000-000000000000")

    assert (status, body["error"]["code"]) == (503, "SERVICE_UNAVAILABLE")
    # The log names the step that failed and AWS's error code: what an operator looks for first.
    logged = [line for line in log_lines() if line["message"] == "dependency unavailable"]
    assert [line["error"] for line in logged] == ["cancelling an order failed: ResourceNotFoundException"]


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
def test_other_methods_on_cancel_are_405_with_allow(aws, method):
    response = api(
        http_api_event(method, "/orders/abc/cancel", f"{method} /orders/{{orderId}}/cancel"), LambdaContext()
    )
    assert response["statusCode"] == 405
    assert response["headers"]["Allow"] == "POST"


def test_an_invalid_id_on_cancel_is_422_naming_the_path_parameter(aws):
    status, body = cancel("not an id!")
    assert status == 422
    assert body["error"]["details"][0]["loc"] == ["path", "orderId"]


def metric_counts(capsys, name: str) -> list[float]:
    """Every value of metric `name` in the EMF blobs Powertools printed since the last call."""
    blobs = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    values = [blob[name] for blob in blobs if name in blob]
    return [value for entry in values for value in (entry if isinstance(entry, list) else [entry])]


def test_a_replayed_key_and_a_repeated_cancel_count_once(aws, capsys):
    key = {"idempotency-key": "count-me-once"}
    first = call(post_order_event(ORDER, key))[1]
    call(post_order_event(ORDER, key))
    assert metric_counts(capsys, "OrdersAccepted") == [1.0]

    cancel(first["orderId"])
    cancel(first["orderId"])
    assert metric_counts(capsys, "OrdersCancelled") == [1.0]


def test_a_message_for_an_order_cancelled_after_pricing_is_a_duplicate_not_a_cancel_before_pricing(aws, log_lines):
    accepted = place()
    (message,) = aws.queued_messages()  # received: its body is kept for a redelivery below
    aws.sqs.change_message_visibility(
        QueueUrl=aws.queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
    )
    process_queue(aws)  # priced: CONFIRMED
    cancel(accepted["orderId"])
    aws.sqs.send_message(QueueUrl=aws.queue_url, MessageBody=message["Body"])  # the redelivery

    process_queue(aws)

    outcomes = [line["outcome"] for line in log_lines() if line.get("message") == "order processed"]
    assert outcomes == ["CONFIRMED", "DUPLICATE"]
