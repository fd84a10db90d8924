"""The DLQ tool (scripts/dlq.py) lists dead letters without consuming them and moves them back."""

from __future__ import annotations

import json
import os
import subprocess
import uuid

from scripts.dlq import list_dead_letters, queue_urls, redrive
from scripts.local_aws import moto_client
from scripts.processes import BIN, REPO_ROOT, aws_environment, moto_server
from services.processor.handler import lambda_handler
from tests.support.event_source import consume_until_empty


def test_listing_leaves_the_messages_in_place(aws):
    for body in ("first", "second", "third"):
        aws.sqs.send_message(QueueUrl=aws.dead_letter_url, MessageBody=body)

    listed = list_dead_letters(aws.sqs, aws.dead_letter_url)
    again = list_dead_letters(aws.sqs, aws.dead_letter_url)

    assert sorted(letter.body for letter in listed) == ["first", "second", "third"]
    assert sorted(letter.body for letter in again) == ["first", "second", "third"]


def test_a_redriven_order_is_processed_once_its_cause_is_fixed(aws):
    # Given an order that died in the DLQ while the catalog was broken
    order = {
        "orderId": str(uuid.uuid4()),
        "customerId": "dlq",
        "items": [{"productId": "ceramic-mug", "quantity": 1}],
        "createdAt": "2026-11-25T10:00:00.000000Z",
    }
    aws.sqs.send_message(
        QueueUrl=aws.dead_letter_url,
        MessageBody=json.dumps(order),
        MessageAttributes={"correlationId": {"DataType": "String", "StringValue": "req-dlq"}},
    )

    # When it is redriven and the queue consumed
    moved = redrive(aws.sqs, aws.dead_letter_url, aws.queue_url)
    consume_until_empty(aws.sqs, aws.queue_url, lambda_handler)

    # Then it is stored, the DLQ is empty, and redriving again moves nothing
    assert moved == 1
    stored = aws.dynamodb.get_item(TableName=os.environ["ORDERS_TABLE_NAME"], Key={"orderId": {"S": order["orderId"]}})
    assert stored["Item"]["status"]["S"] == "CONFIRMED"
    assert list_dead_letters(aws.sqs, aws.dead_letter_url) == []
    assert redrive(aws.sqs, aws.dead_letter_url, aws.queue_url) == 0


def test_queue_names_follow_the_stage(aws):
    aws.sqs.create_queue(QueueName="orders-qa-orders")
    aws.sqs.create_queue(QueueName="orders-qa-orders-dlq")
    queue, dead_letters = queue_urls(aws.sqs, "qa")
    assert queue.endswith("/orders-qa-orders")
    assert dead_letters.endswith("/orders-qa-orders-dlq")


def test_the_command_line_works_against_a_local_aws():
    with moto_server() as endpoint:
        env = aws_environment(endpoint)
        sqs = moto_client("sqs", endpoint, "eu-west-1")
        sqs.create_queue(QueueName="orders-local-orders")
        dead_letter_url = sqs.create_queue(QueueName="orders-local-orders-dlq")["QueueUrl"]
        sqs.send_message(QueueUrl=dead_letter_url, MessageBody="poison")

        def run(action: str) -> str:
            command = [str(BIN / "python"), "-m", "scripts.dlq", action, "--stage", "local"]
            return subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=True).stdout

        assert '"body": "poison"' in run("list")
        assert "moved 1 message(s)" in run("redrive")
        assert run("list").strip().endswith("0 message(s) in " + dead_letter_url)
