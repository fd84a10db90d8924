"""Rules AWS enforces that moto does not, applied to the boto3 clients of moto-backed tests, and DynamoDB's
atomic conditional writes, applied to moto itself (scripts/local_moto_server.py, as every moto server here).

With these in place a field that forgets one of AWS's rules fails a test (as it would fail on AWS)
instead of passing on moto and reaching production.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from botocore.exceptions import ClientError

from scripts.local_moto_server import serialize_dynamodb

# Characters SQS accepts in a message body and in String message attributes: #x9 | #xA | #xD | #x20-#xD7FF |
# #xE000-#xFFFD | #x10000-#x10FFFF (Amazon SQS API Reference, SendMessage, MessageBody). moto accepts anything.
NOT_ACCEPTED_BY_SQS = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _sqs_texts(params: dict[str, Any]) -> Iterator[str]:
    for message in [params, *params.get("Entries", [])]:  # SendMessage, and each entry of SendMessageBatch
        yield message.get("MessageBody", "")
        for attribute in message.get("MessageAttributes", {}).values():
            yield attribute.get("StringValue", "")


def _refuse_what_sqs_refuses(params: dict[str, Any], model: Any, **_: Any) -> None:
    for text in _sqs_texts(params):
        found = NOT_ACCEPTED_BY_SQS.search(text)
        if found:
            raise ClientError(
                {
                    "Error": {
                        "Code": "InvalidMessageContents",
                        "Message": f"Invalid characters found. Character U+{ord(found.group()):04X}",
                    },
                    "ResponseMetadata": {"HTTPStatusCode": 400},
                },
                model.name,
            )


SQS_SENDS = ("before-parameter-build.sqs.SendMessage", "before-parameter-build.sqs.SendMessageBatch")


@contextmanager
def aws_rules() -> Iterator[None]:
    """Every client made from boto3's default session meanwhile enforces the rules above; moto answers one
    DynamoDB request at a time."""
    if boto3.DEFAULT_SESSION is None:
        boto3.setup_default_session()
    assert boto3.DEFAULT_SESSION is not None
    events = boto3.DEFAULT_SESSION.events
    for event in SQS_SENDS:
        events.register(event, _refuse_what_sqs_refuses)
    undo_serialize = serialize_dynamodb()
    try:
        yield
    finally:
        undo_serialize()
        for event in SQS_SENDS:
            events.unregister(event, _refuse_what_sqs_refuses)
