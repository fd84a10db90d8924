"""Redelivery, injected faults, poison messages and crashes: every order is stored exactly once.

The processor runs as in Lambda (its handler, real Powertools batch processing) over a moto queue with the
template's redrive policy; faults are injected into the processor's own boto3 clients with botocore hooks.
"""

from __future__ import annotations

import json
import os
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import ClientError

from orders.data.clients import aws_client
from orders.data.order_table import OrderTable
from orders.models import OrderMessage
from services.processor.fulfilment import Outcome, fulfil_order
from services.processor.handler import dependencies, lambda_handler
from tests.support.event_source import LambdaCrash, consume_until_empty
from tests.support.resources import default_param


def order_message(product_id: str = "ceramic-mug") -> dict[str, Any]:
    return {
        "orderId": str(uuid.uuid4()),
        "customerId": "reliability",
        "items": [{"productId": product_id, "quantity": 1}],
        "createdAt": "2026-11-25T10:00:00Z",
        "correlationId": f"req-{uuid.uuid4()}",
    }


def send_all(aws, bodies: list[str]) -> None:
    for body in bodies:
        aws.sqs.send_message(QueueUrl=aws.queue_url, MessageBody=body)


def outcomes(log_lines: Callable[[], list[dict[str, Any]]]) -> Counter[str]:
    """The processor's reported outcome per record: what a second write would change (a row count cannot:
    orderId is the table's key, so a second write overwrites and never adds a row)."""
    return Counter(line["outcome"] for line in log_lines() if line["message"] == "order processed")


def stored_ids(aws) -> Counter[str]:
    items = aws.dynamodb.scan(TableName=os.environ["ORDERS_TABLE_NAME"])["Items"]
    return Counter(item["orderId"]["S"] for item in items)


def inject(service: str, operation: str, fault: Callable[[dict[str, Any]], None]) -> None:
    """Call `fault(params)` before every `operation` the processor's own client makes; it may raise."""

    def hook(params: dict[str, Any], **_: Any) -> None:
        fault(params)

    aws_client(service).meta.events.register(f"before-parameter-build.{service}.{operation}", hook)


def throttling(operation: str) -> ClientError:
    return ClientError({"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}}, operation)


def dead_letters(aws) -> list[str]:
    messages = aws.sqs.receive_message(QueueUrl=aws.dead_letter_url, MaxNumberOfMessages=10).get("Messages", [])
    return [message["Body"] for message in messages]


def test_throttled_writes_are_retried_until_every_order_is_stored_once(aws, log_lines):
    # Given 30 orders, where every third one's first write is throttled
    orders = [order_message() for _ in range(30)]
    unlucky = {order["orderId"] for order in orders[::3]}
    throttled: Counter[str] = Counter()

    def throttle_first_write(params: dict[str, Any]) -> None:
        order_id = params["Item"]["orderId"]["S"]
        if order_id in unlucky and not throttled[order_id]:
            throttled[order_id] += 1
            raise throttling("PutItem")

    inject("dynamodb", "PutItem", throttle_first_write)
    send_all(aws, [json.dumps(order) for order in orders])

    # When the queue is consumed in batches of ten
    stats = consume_until_empty(aws.sqs, aws.queue_url, lambda_handler)

    # Then exactly the throttled records were retried, and every order is stored once
    assert sum(throttled.values()) == len(unlucky) == 10
    assert stats.records_failed == 10
    assert stored_ids(aws) == Counter({order["orderId"]: 1 for order in orders})
    assert outcomes(log_lines) == Counter({"CONFIRMED": 30})  # each decided once, none a second time
    assert dead_letters(aws) == []


def test_a_catalog_outage_delays_orders_but_loses_none(aws):
    outages = Counter[str]()

    def first_two_reads_fail(_: dict[str, Any]) -> None:
        if outages["GetObject"] < 2:
            outages["GetObject"] += 1
            raise ClientError({"Error": {"Code": "SlowDown", "Message": "Reduce your request rate"}}, "GetObject")

    dependencies()  # the warm container whose client gets the fault
    inject("s3", "GetObject", first_two_reads_fail)
    orders = [order_message() for _ in range(5)]
    send_all(aws, [json.dumps(order) for order in orders])

    consume_until_empty(aws.sqs, aws.queue_url, lambda_handler)

    assert outages["GetObject"] == 2
    assert stored_ids(aws) == Counter({order["orderId"]: 1 for order in orders})


def test_a_poison_message_reaches_the_dead_letter_queue_after_max_receives(aws):
    good = [order_message() for _ in range(3)]
    send_all(aws, [json.dumps(good[0]), "{this is not an order", json.dumps(good[1]), json.dumps(good[2])])

    stats = consume_until_empty(aws.sqs, aws.queue_url, lambda_handler)

    assert dead_letters(aws) == ["{this is not an order"]
    assert stats.records_failed == int(default_param("maxReceiveCount"))
    assert stored_ids(aws) == Counter({order["orderId"]: 1 for order in good})


def test_a_crash_mid_batch_loses_and_duplicates_nothing(aws, log_lines):
    # Given ten orders, and an invocation that dies after storing the fourth
    orders = [order_message() for _ in range(10)]
    writes = Counter[str]()

    def crash_on_fifth_write(_: dict[str, Any]) -> None:
        writes["PutItem"] += 1
        if writes["PutItem"] == 5:
            raise LambdaCrash

    inject("dynamodb", "PutItem", crash_on_fifth_write)
    send_all(aws, [json.dumps(order) for order in orders])

    # When the queue is consumed: the crashed batch is received again in full
    stats = consume_until_empty(aws.sqs, aws.queue_url, lambda_handler)

    # Then the four stored before the crash are redelivered as no-ops, and all ten are stored once
    assert stats.crashed_invocations == 1
    assert stats.records_delivered == 20
    assert stored_ids(aws) == Counter({order["orderId"]: 1 for order in orders})
    # The four stored before the crash are found decided on redelivery and left unchanged.
    assert outcomes(log_lines) == Counter({"CONFIRMED": 10, "DUPLICATE": 4})


def test_the_same_message_delivered_many_times_is_one_order(aws, log_lines):
    order = order_message()
    send_all(aws, [json.dumps(order)] * 25)

    stats = consume_until_empty(aws.sqs, aws.queue_url, lambda_handler)

    assert stats.records_delivered == 25
    assert stats.records_failed == 0
    assert stored_ids(aws) == Counter({order["orderId"]: 1})
    assert outcomes(log_lines) == Counter({"CONFIRMED": 1, "DUPLICATE": 24})


def test_concurrent_deliveries_of_one_message_store_it_once(aws):
    # Lambda may run the same message in several containers at once (visibility timeout, redrive):
    # each container has its own table client; the conditional write lets exactly one of them win.
    message = OrderMessage.model_validate(order_message())
    catalog = dependencies().catalog
    containers = [
        OrderTable(aws_client("dynamodb"), os.environ["ORDERS_TABLE_NAME"], os.environ["ORDERS_CUSTOMER_INDEX_NAME"])
        for _ in range(8)
    ]

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(lambda table: fulfil_order(message, catalog, table), containers))

    assert Counter(outcomes) == Counter({Outcome.CONFIRMED: 1, Outcome.DUPLICATE: 7})
    assert stored_ids(aws) == Counter({message.order_id: 1})
