"""One checkout, one order, whatever fails: a fault at every step of an order's way, one row each.

Each row places an order with an Idempotency-Key through the API handler, injects one fault into the
invocation's own boto3 clients (botocore hooks over moto), retries the way a client does (same key and body,
from a fresh container) until it is answered 202, then lets the processor drain the queue, redeliveries
included. Every row asserts the same outcome:
- every 202 names the same orderId, and GET on it answers the order CONFIRMED and priced;
- the order was priced and stored once: exactly one of the processor's conditional writes took effect,
  whatever number of messages and deliveries it saw (a row count could not tell: orderId is the table key);
- nothing is left on the queue or in the dead-letter queue.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError

from orders.data.clients import aws_client
from services.api import handler as api
from services.processor import handler as processor
from tests.conftest import _reset_containers
from tests.support.event_source import LambdaCrash, consume_until_empty
from tests.support.events import SHOPPER, LambdaContext, get_order_event, post_order_event, sqs_event

ORDER = {"items": [{"productId": "ceramic-mug", "quantity": 2}]}
KEY = "checkout-777"
WRITES = ("PutItem", "UpdateItem", "DeleteItem")


def written_status(params: dict[str, Any]) -> str:
    """The order status a PutItem or UpdateItem call writes ("?" if none)."""
    if "Item" in params:
        return str(params["Item"].get("status", {}).get("S", "?"))
    names = params.get("ExpressionAttributeNames", {})
    for alias, value in re.findall(r"(#\w+) = (:\w+)", params.get("UpdateExpression", "")):
        if names.get(alias) == "status":
            return str(params["ExpressionAttributeValues"][value]["S"])
    return "?"


def throttled(operation: str) -> ClientError:
    return ClientError({"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}}, operation)


@dataclass
class Run:
    """What happened to the order's writes and messages during one row."""

    taken_writes: Counter[str] = field(default_factory=Counter)  # DynamoDB writes that took effect, by status
    messages_sent: int = 0

    def watch(self) -> None:
        """Count, on the current container's clients, the writes that took effect and the messages sent."""

        def remember_status(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
            context["written_status"] = written_status(params)

        def count_write(parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
            if "Error" not in parsed:
                self.taken_writes[context.get("written_status", "UPDATE")] += 1

        def count_message(parsed: dict[str, Any], **_: Any) -> None:
            if "Error" not in parsed:
                self.messages_sent += 1

        events = aws_client("dynamodb").meta.events
        for operation in WRITES:
            events.register(f"before-parameter-build.dynamodb.{operation}", remember_status)
            events.register(f"after-call.dynamodb.{operation}", count_write)
        aws_client("sqs").meta.events.register("after-call.sqs.SendMessage", count_message)


# A fault is set up on the first container's clients; a retry runs in a fresh container, without it.
Fault = Callable[[Run, Any], None]


def on(service: str, event: str, action: Callable[..., None]) -> None:
    aws_client(service).meta.events.register(event, action)


def once(action: Callable[..., None]) -> Callable[..., None]:
    done: list[bool] = []

    def wrapper(**kwargs: Any) -> None:
        if not done:
            done.append(True)
            action(**kwargs)

    return wrapper


def no_fault(run: Run, aws: Any) -> None:
    pass


def read_of_the_key_fails(run: Run, aws: Any) -> None:
    on("dynamodb", "before-parameter-build.dynamodb.GetItem", once(lambda **_: _raise(throttled("GetItem"))))


def sqs_refuses_the_message(run: Run, aws: Any) -> None:
    on("sqs", "before-parameter-build.sqs.SendMessage", lambda **_: _raise(throttled("SendMessage")))


def sqs_takes_the_message_but_its_answer_is_lost(run: Run, aws: Any) -> None:
    on("sqs", "after-call.sqs.SendMessage", once(lambda **_: _raise(ReadTimeoutError(endpoint_url="sqs"))))


def write_after_the_send_fails(run: Run, aws: Any) -> None:
    """The issue's duplicate: SQS took the message, then the API's own DynamoDB write is throttled."""
    sent: list[bool] = []
    on("sqs", "after-call.sqs.SendMessage", lambda **_: sent.append(True))
    for operation in WRITES:
        on(
            "dynamodb",
            f"before-parameter-build.dynamodb.{operation}",
            lambda _op=operation, **_: _raise(throttled(_op)) if sent else None,
        )


def lambda_times_out_after_the_send(run: Run, aws: Any) -> None:
    on("sqs", "after-call.sqs.SendMessage", once(lambda **_: _raise(LambdaCrash())))


def processor_runs_before_the_pending_write(run: Run, aws: Any) -> None:
    """The message is processed between the send and the API's PENDING write (a fast processor)."""

    def drain(**_: Any) -> None:
        consume_until_empty(aws.sqs, aws.queue_url, processor.lambda_handler)

    on("sqs", "after-call.sqs.SendMessage", once(drain))


def processor_write_fails(run: Run, aws: Any) -> None:
    on("dynamodb", "before-parameter-build.dynamodb.PutItem", _only_processor(once(_throttle_write)))


def processor_crashes_after_its_write(run: Run, aws: Any) -> None:
    on("dynamodb", "after-call.dynamodb.PutItem", _only_processor(once(lambda **_: _raise(LambdaCrash()))))


def message_is_delivered_twice(run: Run, aws: Any) -> None:
    def duplicate(params: dict[str, Any], **_: Any) -> None:
        aws.sqs.send_message(QueueUrl=aws.queue_url, MessageBody=params["MessageBody"])

    on("sqs", "before-parameter-build.sqs.SendMessage", once(duplicate))


def _raise(error: BaseException) -> None:
    raise error


def _throttle_write(**_: Any) -> None:
    raise throttled("PutItem")


def _only_processor(action: Callable[..., None]) -> Callable[..., None]:
    """Apply `action` to writes of a priced order only (the API writes PENDING; the clients are shared)."""

    def hook(**kwargs: Any) -> None:
        params = kwargs.get("params")
        status = written_status(params) if params else (kwargs.get("context") or {}).get("written_status")
        if status in {"CONFIRMED", "REJECTED"}:
            action(**kwargs)

    return hook


def post(key: str | None = KEY, body: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
    response = api.lambda_handler(
        post_order_event(body or ORDER, {"idempotency-key": key} if key else {}), LambdaContext()
    )
    return response["statusCode"], json.loads(response["body"])


def checkout(run: Run, max_attempts: int = 3) -> list[tuple[int | str, dict[str, Any]]]:
    """The client: POST, and on a 5xx, 409 or no answer retry with the same key from a fresh container."""
    answers: list[tuple[int | str, dict[str, Any]]] = []
    for _ in range(max_attempts):
        try:
            status, body = post()
        except LambdaCrash:
            answers.append(("no answer", {}))
        else:
            answers.append((status, body))
            if status == 202:
                return answers
        _reset_containers()
        run.watch()
    return answers


FAULTS: list[Fault] = [
    no_fault,
    read_of_the_key_fails,
    sqs_refuses_the_message,
    sqs_takes_the_message_but_its_answer_is_lost,
    write_after_the_send_fails,
    lambda_times_out_after_the_send,
    processor_runs_before_the_pending_write,
    processor_write_fails,
    processor_crashes_after_its_write,
    message_is_delivered_twice,
]


@pytest.mark.parametrize("fault", FAULTS, ids=[fault.__name__ for fault in FAULTS])
def test_one_checkout_makes_one_order_whatever_fails(aws, fault: Fault):
    run = Run()
    run.watch()
    fault(run, aws)

    answers = checkout(run)
    retry_status, retry = post()  # and one more retry after success: the same order again
    consume_until_empty(aws.sqs, aws.queue_url, processor.lambda_handler)

    accepted = [body["orderId"] for status, body in [*answers, (retry_status, retry)] if status == 202]
    assert answers[-1][0] == 202, answers
    assert len(set(accepted)) == 1, answers
    order = get(accepted[0])
    assert (order["status"], order["totalCents"]) == ("CONFIRMED", 2800)
    assert run.taken_writes["CONFIRMED"] == 1, run.taken_writes  # priced and stored once
    assert run.taken_writes["PENDING"] <= 1, run.taken_writes
    assert aws.queued_messages() == []
    assert aws.sqs.receive_message(QueueUrl=aws.dead_letter_url).get("Messages", []) == []


def test_the_same_key_with_another_body_is_refused_and_queues_nothing(aws):
    run = Run()
    run.watch()
    assert post()[0] == 202

    status, body = post(body={**ORDER, "note": "another checkout"})

    assert (status, body["error"]["code"]) == (409, "IDEMPOTENCY_KEY_REUSED")
    assert run.messages_sent == 1


def test_a_message_from_a_request_that_lost_its_key_is_never_priced(aws):
    """Two requests with one key and different bodies race: both queue, one is stored; the other's message
    (queued before its request learned it lost) must not price the stored order with its lines."""
    run = Run()
    run.watch()
    other = {**ORDER, "items": [{"productId": "espresso-beans-1kg", "quantity": 1}]}
    # The loser queues its message, then finds the winner's PENDING order written in between.
    on("sqs", "after-call.sqs.SendMessage", once(lambda **_: _reset_and_post_winner()))

    status, body = post(body=other)
    # The loser's message first: were the requestHash not checked, it would price the winner's order.
    bodies = sorted((message["Body"] for message in aws.queued_messages()), key=lambda text: "espresso" not in text)
    assert len(bodies) == 2
    assert "espresso" in bodies[0]
    assert processor.lambda_handler(sqs_event(bodies), LambdaContext()) == {"batchItemFailures": []}

    assert (status, body["error"]["code"]) == (409, "IDEMPOTENCY_KEY_REUSED")
    order = get(order_id_of_key())
    assert [line["productId"] for line in order["items"]] == ["ceramic-mug"]
    assert (order["status"], order["totalCents"]) == ("CONFIRMED", 2800)


def _reset_and_post_winner() -> None:
    # The winner runs in another container: its own clients, without this row's hook.
    api.dependencies.cache_clear()
    aws_client.cache_clear()
    assert post()[0] == 202


def order_id_of_key() -> str:
    from orders.config import get_settings
    from services.api.ordering import order_id_for_key

    return order_id_for_key(get_settings().order_id_namespace, SHOPPER, KEY)


def get(order_id: str) -> dict[str, Any]:
    response = api.lambda_handler(get_order_event(order_id), LambdaContext())
    assert response["statusCode"] == 200, response
    body: dict[str, Any] = json.loads(response["body"])
    return body
