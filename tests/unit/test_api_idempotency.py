"""Idempotency-Key on POST /orders: a retried checkout never creates a second order."""

from __future__ import annotations

import hashlib
import json

from orders.models import CreateOrderRequest
from services.api.handler import lambda_handler
from services.api.ordering import request_hash
from tests.support.events import LambdaContext, post_order_event
from tests.unit.test_api_place_order import VALID_ORDER


def post(body, key=None):
    headers = {"idempotency-key": key} if key else {}
    response = lambda_handler(post_order_event(body, headers), LambdaContext())
    return response["statusCode"], json.loads(response["body"])


def test_same_key_and_body_answers_the_same_order_once(aws):
    first_status, first = post(VALID_ORDER, "checkout-1")
    second_status, second = post(VALID_ORDER, "checkout-1")

    assert (first_status, second_status) == (202, 202)
    assert second["orderId"] == first["orderId"]
    assert second == first
    assert len(aws.queued_messages()) == 1


def test_same_key_answers_the_same_order_from_a_new_container(aws):
    from services.api import handler

    _, first = post(VALID_ORDER, "checkout-2")
    handler.dependencies.cache_clear()  # a cold container: no local cache, only the DynamoDB record

    _, second = post(VALID_ORDER, "checkout-2")

    assert second["orderId"] == first["orderId"]
    assert len(aws.queued_messages()) == 1


def test_same_key_with_another_body_is_refused(aws):
    post(VALID_ORDER, "checkout-3")
    status, body = post({**VALID_ORDER, "note": "changed my mind"}, "checkout-3")

    assert status == 409
    assert body["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert len(aws.queued_messages()) == 1


def test_different_keys_make_different_orders(aws):
    _, first = post(VALID_ORDER, "checkout-4")
    _, second = post(VALID_ORDER, "checkout-5")
    assert first["orderId"] != second["orderId"]
    assert len(aws.queued_messages()) == 2


def test_without_a_key_every_post_is_a_new_order(aws):
    _, first = post(VALID_ORDER)
    _, second = post(VALID_ORDER)
    assert first["orderId"] != second["orderId"]
    assert len(aws.queued_messages()) == 2


def test_a_failed_attempt_can_be_retried_with_the_same_key(aws):
    # Given the queue is unavailable during the first attempt
    aws.sqs.delete_queue(QueueUrl=aws.queue_url)
    status, _ = post(VALID_ORDER, "checkout-6")
    assert status == 503

    # When the queue is back and the client retries with the same key
    aws.queue_url = aws.sqs.create_queue(QueueName="orders-test-orders")["QueueUrl"]
    from services.api import handler

    handler.dependencies.cache_clear()
    retry_status, body = post(VALID_ORDER, "checkout-6")

    # Then the order is accepted exactly once
    assert retry_status == 202
    messages = aws.queued_messages()
    assert [json.loads(message["Body"])["orderId"] for message in messages] == [body["orderId"]]


def test_an_invalid_key_is_a_422(aws):
    status, body = post(VALID_ORDER, "x" * 256)
    assert status == 422
    assert body["error"]["details"][0]["loc"][0] == "header"
    assert aws.queued_messages() == []


def test_the_request_hash_is_a_fixed_function_of_the_wire_json(aws):
    # Hashes are stored with orders and carried in queued messages: a retry after a deploy must hash as the
    # first attempt did, so the definition is pinned (SHA-256 of the camelCase JSON as validated).
    wire = b'{"items":[{"productId":"ceramic-mug","quantity":2}],"note":null}'
    request = CreateOrderRequest.model_validate({"items": [{"productId": "ceramic-mug", "quantity": 2.0}]})
    assert request_hash(request) == hashlib.sha256(wire).hexdigest()
