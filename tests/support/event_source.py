"""A stand-in for Lambda's SQS event source mapping over a moto queue, for redelivery and fault tests.

It does what the real mapping does with ReportBatchItemFailures: receive a batch, invoke the handler,
delete the records that succeeded, and leave the rest (or the whole batch, if the invocation crashed)
to be received again. Received messages become visible again at once (VisibilityTimeout=0) so retries
happen without waiting; moto's redrive policy moves a message to the DLQ after maxReceiveCount receives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.support.events import LambdaContext


class LambdaCrash(BaseException):  # a BaseException: no `except Exception` in the code may catch it
    """Raised to kill an invocation mid-batch, like a timeout or an out-of-memory kill."""


@dataclass
class ConsumerStats:
    invocations: int = 0
    crashed_invocations: int = 0
    records_delivered: int = 0
    records_failed: int = 0


def to_lambda_record(message: dict[str, Any], queue_arn: str) -> dict[str, Any]:
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": {
            name: {"stringValue": value.get("StringValue"), "dataType": value["DataType"]}
            for name, value in message.get("MessageAttributes", {}).items()
        },
        "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": "eu-west-1",
    }


def consume_until_empty(
    sqs: Any,
    queue_url: str,
    handler: Callable[[dict[str, Any], Any], Any],
    batch_size: int = 10,
    max_invocations: int = 500,
) -> ConsumerStats:
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    stats = ConsumerStats()
    for _ in range(max_invocations):
        messages = sqs.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=batch_size,
            VisibilityTimeout=0,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return stats
        stats.invocations += 1
        stats.records_delivered += len(messages)
        event = {"Records": [to_lambda_record(message, queue_arn) for message in messages]}
        try:
            response = handler(event, LambdaContext())
            failed = {failure["itemIdentifier"] for failure in response["batchItemFailures"]}
        except LambdaCrash:
            stats.crashed_invocations += 1
            failed = {message["MessageId"] for message in messages}
        stats.records_failed += len(failed)
        succeeded = [message for message in messages if message["MessageId"] not in failed]
        for message in succeeded:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    raise AssertionError(f"the queue was not drained in {max_invocations} invocations: {stats}")
