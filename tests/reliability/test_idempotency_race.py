"""Client retries with the same Idempotency-Key racing each other, in separate processes (as separate
Lambda containers would), against one moto server: one orderId for all, one order priced once.

Every racer may queue a message (each finds no order stored yet); the conditional writes decide: one PENDING
write takes effect and the others answer it, and the processor prices the order from one message only.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections import Counter
from typing import Any

from orders.data.order_table import OrderTable
from orders.models import Catalog, OrderMessage
from scripts.local_aws import moto_client
from scripts.processes import moto_server
from services.processor.fulfilment import Outcome, fulfil_order
from tests.conftest import CATALOG_FILE, TEST_ENVIRONMENT
from tests.support.resources import create_table

REGION = "eu-west-1"
RACERS = 6
ORDER = {"items": [{"productId": "ceramic-mug", "quantity": 1}]}


def _race(endpoint: str, start: Any, write: Any, results: Any) -> None:
    os.environ.update(TEST_ENVIRONMENT, AWS_ENDPOINT_URL=endpoint)
    from orders.data.clients import aws_client
    from services.api.handler import lambda_handler  # imported in the child, like a cold container
    from tests.support.events import LambdaContext, post_order_event

    # The race made certain: every container has read the key's order (none yet) and queued its message
    # before any of them writes, so all six conditional PutItems contend for the one order.
    aws_client("dynamodb").meta.events.register(
        "before-parameter-build.dynamodb.PutItem", lambda **_: write.wait(timeout=60)
    )
    stored: list[bool] = []
    aws_client("dynamodb").meta.events.register(
        "after-call.dynamodb.PutItem", lambda parsed, **_: stored.append("Error" not in parsed)
    )
    event = post_order_event(ORDER, {"idempotency-key": "same-checkout"})
    start.wait(timeout=60)  # every container imported, then all start at once (the context's clock starts here)
    response = lambda_handler(event, LambdaContext())
    results.put((response["statusCode"], json.loads(response["body"]), stored == [True]))


def test_racing_retries_with_one_key_make_one_order():
    with moto_server() as endpoint:
        dynamodb = moto_client("dynamodb", endpoint, REGION)
        create_table(dynamodb, "OrdersTable", TEST_ENVIRONMENT["ORDERS_TABLE_NAME"])
        sqs = moto_client("sqs", endpoint, REGION)
        queue_url = sqs.create_queue(QueueName=TEST_ENVIRONMENT["ORDER_QUEUE_NAME"])["QueueUrl"]

        context = multiprocessing.get_context("spawn")
        start, write, results = context.Barrier(RACERS), context.Barrier(RACERS), context.Queue()
        racers = [context.Process(target=_race, args=(endpoint, start, write, results)) for _ in range(RACERS)]
        for racer in racers:
            racer.start()
        answers = [results.get(timeout=120) for _ in racers]
        for racer in racers:
            racer.join(timeout=30)

        messages = []
        while batch := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", []):
            messages.extend(batch)
        outcomes = _process(endpoint, messages)

    statuses = Counter(status for status, _, _ in answers)
    assert statuses == Counter({202: RACERS}), answers
    assert len({body["orderId"] for _, body, _ in answers}) == 1, answers
    assert sum(won for _, _, won in answers) == 1, answers  # exactly one PENDING write took effect
    assert len(messages) == RACERS  # each queued its message before the writes raced
    assert {json.loads(message["Body"])["orderId"] for message in messages} == {answers[0][1]["orderId"]}
    # Priced once: one message decides the order, every other one finds it decided.
    assert outcomes == Counter({Outcome.CONFIRMED: 1, Outcome.DUPLICATE: RACERS - 1}), outcomes


def _process(endpoint: str, messages: list[dict[str, Any]]) -> Counter[Outcome]:
    """Each queued message through the processor's domain logic, against the same moto server."""
    catalog = Catalog.model_validate_json(CATALOG_FILE.read_bytes())

    class FixedCatalog:
        def current(self) -> Catalog:
            return catalog

    orders = OrderTable(
        moto_client("dynamodb", endpoint, REGION),
        TEST_ENVIRONMENT["ORDERS_TABLE_NAME"],
        TEST_ENVIRONMENT["ORDERS_CUSTOMER_INDEX_NAME"],
    )
    return Counter(
        fulfil_order(OrderMessage.model_validate_json(message["Body"]), FixedCatalog(), orders) for message in messages
    )
