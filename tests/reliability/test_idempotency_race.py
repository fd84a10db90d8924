"""Client retries with the same Idempotency-Key racing each other, in separate processes (as separate
Lambda containers would), against one moto server: exactly one order."""

from __future__ import annotations

import json
import multiprocessing
import os
from collections import Counter
from typing import Any

from scripts.local_aws import moto_client
from scripts.processes import moto_server
from tests.conftest import TEST_ENVIRONMENT
from tests.support.resources import create_table

REGION = "eu-west-1"
RACERS = 6
ORDER = {"customerId": "racer", "items": [{"productId": "ceramic-mug", "quantity": 1}]}


def _race(endpoint: str, barrier: Any, results: Any) -> None:
    os.environ.update(TEST_ENVIRONMENT, AWS_ENDPOINT_URL=endpoint)
    from services.api.handler import lambda_handler  # imported in the child, like a cold container
    from tests.support.events import LambdaContext, post_order_event

    event = post_order_event(ORDER, {"idempotency-key": "same-checkout"})
    barrier.wait()  # every container sends at the same moment
    response = lambda_handler(event, LambdaContext())
    results.put((response["statusCode"], json.loads(response["body"])))


def test_racing_retries_with_one_key_make_one_order():
    with moto_server() as endpoint:
        dynamodb = moto_client("dynamodb", endpoint, REGION)
        create_table(dynamodb, "OrdersTable", TEST_ENVIRONMENT["ORDERS_TABLE_NAME"])
        create_table(dynamodb, "IdempotencyTable", TEST_ENVIRONMENT["IDEMPOTENCY_TABLE_NAME"])
        sqs = moto_client("sqs", endpoint, REGION)
        queue_url = sqs.create_queue(QueueName=TEST_ENVIRONMENT["ORDER_QUEUE_NAME"])["QueueUrl"]

        context = multiprocessing.get_context("spawn")
        barrier, results = context.Barrier(RACERS), context.Queue()
        racers = [context.Process(target=_race, args=(endpoint, barrier, results)) for _ in range(RACERS)]
        for racer in racers:
            racer.start()
        answers = [results.get(timeout=120) for _ in racers]
        for racer in racers:
            racer.join(timeout=30)

        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])

    statuses = Counter(status for status, _ in answers)
    assert set(statuses) <= {202, 409}, answers
    accepted_ids = {body["orderId"] for status, body in answers if status == 202}
    assert len(accepted_ids) == 1, answers
    assert all(body["error"]["code"] == "REQUEST_IN_PROGRESS" for status, body in answers if status == 409)
    assert [json.loads(message["Body"])["orderId"] for message in messages] == list(accepted_ids)
