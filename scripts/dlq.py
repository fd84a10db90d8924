"""Inspect the dead-letter queue and move its messages back to the order queue.

    python -m scripts.dlq --stage local list        # print what is in the DLQ (messages stay there)
    python -m scripts.dlq --stage local redrive     # move every message back to the order queue

It uses the ordinary AWS configuration: credentials and region of the shell, or AWS_ENDPOINT_URL for the
local stack (`make dlq-list` and `make dlq-redrive` set it). Redriving is safe to repeat: a message is
sent to the order queue before it is deleted from the DLQ, and the processor stores an order only once.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from typing import Any

import boto3

SERVICE = "orders"
HIDE_WHILE_WORKING_SECONDS = 30


@dataclass(frozen=True)
class DeadLetter:
    message_id: str
    receive_count: int
    body: str


def queue_urls(sqs: Any, stage: str) -> tuple[str, str]:
    """(order queue URL, dead-letter queue URL), named as serverless.yml names them."""
    queue = sqs.get_queue_url(QueueName=f"{SERVICE}-{stage}-orders")["QueueUrl"]
    dead_letters = sqs.get_queue_url(QueueName=f"{SERVICE}-{stage}-orders-dlq")["QueueUrl"]
    return queue, dead_letters


def _receive_all(sqs: Any, queue_url: str, limit: int) -> list[dict[str, Any]]:
    received: dict[str, dict[str, Any]] = {}
    while len(received) < limit:
        batch = sqs.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=min(10, limit - len(received)),
            VisibilityTimeout=HIDE_WHILE_WORKING_SECONDS,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not batch:
            break
        received.update({message["MessageId"]: message for message in batch})
    return list(received.values())


def list_dead_letters(sqs: Any, dead_letter_url: str, limit: int = 100) -> list[DeadLetter]:
    messages = _receive_all(sqs, dead_letter_url, limit)
    for message in messages:  # make them visible again at once: listing must not hide them
        sqs.change_message_visibility(
            QueueUrl=dead_letter_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
        )
    return [
        DeadLetter(
            message_id=message["MessageId"],
            receive_count=int(message.get("Attributes", {}).get("ApproximateReceiveCount", "0")),
            body=message["Body"],
        )
        for message in messages
    ]


def redrive(sqs: Any, dead_letter_url: str, queue_url: str, limit: int = 1000) -> int:
    """Move up to `limit` messages back to the order queue; returns how many moved."""
    moved = 0
    for message in _receive_all(sqs, dead_letter_url, limit):
        attributes = {
            name: {key: value for key, value in attribute.items() if key in {"DataType", "StringValue", "BinaryValue"}}
            for name, attribute in message.get("MessageAttributes", {}).items()
        }
        sqs.send_message(QueueUrl=queue_url, MessageBody=message["Body"], MessageAttributes=attributes)
        sqs.delete_message(QueueUrl=dead_letter_url, ReceiptHandle=message["ReceiptHandle"])
        moved += 1
    return moved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["list", "redrive"])
    parser.add_argument("--stage", required=True)
    parser.add_argument("--limit", type=int, default=100)
    args = parser.parse_args()
    sqs = boto3.client("sqs")
    queue_url, dead_letter_url = queue_urls(sqs, args.stage)
    if args.action == "list":
        letters = list_dead_letters(sqs, dead_letter_url, args.limit)
        for letter in letters:
            print(json.dumps({"messageId": letter.message_id, "receives": letter.receive_count, "body": letter.body}))
        print(f"{len(letters)} message(s) in {dead_letter_url}")
    else:
        print(f"moved {redrive(sqs, dead_letter_url, queue_url, args.limit)} message(s) back to {queue_url}")


if __name__ == "__main__":
    main()
