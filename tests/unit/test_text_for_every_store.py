"""Every string an order carries must be valid in every store it reaches (SQS, DynamoDB).

SQS refuses U+FFFE, U+FFFF and lone surrogates in a message, where moto accepts them: the API would answer
503 to every retry, forever. The `aws` fixture makes the tests' SQS refuse what AWS refuses, and these
tests walk the request's schema, so a text field added later without the rule fails here.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from orders.models import CreateOrderRequest
from tests.support.events import post_order_event
from tests.unit.test_api_place_order import VALID_ORDER, call

REFUSED_BY_SQS = ["\ufffe", "\uffff"]
LONE_SURROGATE = "\ud800"


def text_fields(
    schema: dict[str, Any], definitions: dict[str, Any], path: tuple[Any, ...] = ()
) -> Iterator[tuple[Any, ...]]:
    """The JSON path of every string in a request body that the schema admits (array items as index 0)."""
    if "$ref" in schema:
        schema = definitions[schema["$ref"].rsplit("/", 1)[1]]
    for option in schema.get("anyOf", []):
        yield from text_fields(option, definitions, path)
    if schema.get("type") == "string":
        yield path
    for name, child in schema.get("properties", {}).items():
        yield from text_fields(child, definitions, (*path, name))
    if "items" in schema:
        yield from text_fields(schema["items"], definitions, (*path, 0))


REQUEST_SCHEMA = CreateOrderRequest.model_json_schema(by_alias=True)
TEXT_FIELDS = sorted(set(text_fields(REQUEST_SCHEMA, REQUEST_SCHEMA.get("$defs", {}))))


def with_value(path: tuple[Any, ...], value: str) -> dict[str, Any]:
    order = copy.deepcopy(VALID_ORDER)
    target: Any = order
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return order


def test_the_schema_walk_finds_every_text_field():
    assert TEXT_FIELDS == [("items", 0, "productId"), ("note",)]


@pytest.mark.parametrize("path", TEXT_FIELDS, ids=lambda path: ".".join(map(str, path)))
@pytest.mark.parametrize("character", REFUSED_BY_SQS, ids=lambda c: f"U+{ord(c):04X}")
def test_a_character_sqs_refuses_is_a_422_naming_the_field(aws, path, character):
    status, _, body = call(post_order_event(with_value(path, f"ok{character}ok")))
    assert status == 422, body
    assert body["error"]["code"] == "VALIDATION_ERROR"
    assert ["body", *path] in [detail["loc"] for detail in body["error"]["details"]]
    assert aws.queued_messages() == []


@pytest.mark.parametrize("path", TEXT_FIELDS, ids=lambda path: ".".join(map(str, path)))
def test_a_lone_surrogate_is_a_422_naming_the_field(aws, path):
    # JSON's \ud800 escape decodes to a lone surrogate, which no store (and no UTF-8) can hold.
    text = json.dumps(with_value(path, f"ok{LONE_SURROGATE}ok"))
    status, _, body = call(post_order_event(text, raw=True))
    assert status == 422, body
    assert ["body", *path] in [detail["loc"] for detail in body["error"]["details"]]
    assert aws.queued_messages() == []


@pytest.mark.parametrize("character", REFUSED_BY_SQS, ids=lambda c: f"U+{ord(c):04X}")
def test_an_idempotency_key_sqs_or_dynamodb_would_refuse_is_a_422(aws, character):
    status, _, body = call(post_order_event(VALID_ORDER, {"idempotency-key": f"key{character}"}))
    assert status == 422
    assert [detail["loc"] for detail in body["error"]["details"]] == [["header", "idempotency-key"]]


@pytest.mark.parametrize("character", [*REFUSED_BY_SQS, LONE_SURROGATE], ids=lambda c: f"U+{ord(c):04X}")
def test_the_tests_sqs_refuses_what_aws_refuses(aws, character):
    with pytest.raises(ClientError) as refused:
        aws.sqs.send_message(QueueUrl=aws.queue_url, MessageBody=f"ok{character}")
    assert refused.value.response["Error"]["Code"] == "InvalidMessageContents"
    with pytest.raises(ClientError):
        aws.sqs.send_message(
            QueueUrl=aws.queue_url,
            MessageBody="ok",
            MessageAttributes={"correlationId": {"DataType": "String", "StringValue": character}},
        )
    aws.sqs.send_message(QueueUrl=aws.queue_url, MessageBody="ok \t\n\r\ue000\ufffd\U0010ffff")
