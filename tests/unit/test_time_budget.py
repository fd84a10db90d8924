"""Each function's AWS calls, retries included, end in time for it to answer: a dependency that accepts
connections and never answers (a black hole) costs a clear 503 or a failed record, never the invocation.

On AWS, Lambda stops an invocation at its timeout: API Gateway then answers a bare 5xx with no Retry-After,
and SQS retries the processor's whole batch. The contexts here run down like Lambda's; each test asserts
the handler returned while its context still had time left.
"""

from __future__ import annotations

import json
import math
import re

import pytest

from orders.data.deadline import ANSWER_MARGIN_SECONDS, AttemptTimeouts, CallDeadline
from services.api.handler import lambda_handler as api_handler
from services.processor.handler import lambda_handler as processor_handler
from tests.support.black_hole import black_hole
from tests.support.events import LambdaContext, get_order_event, post_order_event, sqs_event
from tests.unit.test_api_place_order import VALID_ORDER
from tests.unit.test_processor import message

# Short invocations keep the tests quick; the arithmetic is the same for the API's 10 s and the
# processor's 30 s (the per-attempt timeouts are derived from the time the context gives).
TIMEOUT_MS = 4_000


@pytest.fixture
def hanging(monkeypatch: pytest.MonkeyPatch):
    """hanging("sqs") points that service's clients at a black hole for the rest of the test."""
    with black_hole() as url:

        def point(service: str) -> None:
            monkeypatch.setenv(f"AWS_ENDPOINT_URL_{service.upper()}", url)

        yield point


@pytest.mark.parametrize(
    ("service", "headers"),
    [
        pytest.param("sqs", {}, id="queue-hangs"),
        pytest.param("sqs", {"idempotency-key": "checkout-1"}, id="queue-hangs-with-key"),
        pytest.param("dynamodb", {"idempotency-key": "checkout-2"}, id="idempotency-store-hangs"),
    ],
)
def test_api_answers_its_503_before_its_timeout_when_a_dependency_hangs(aws, hanging, service, headers):
    # Given a dependency that accepts connections and never answers
    hanging(service)
    context = LambdaContext(timeout_ms=TIMEOUT_MS)

    # When an order is posted
    response = api_handler(post_order_event(VALID_ORDER, headers), context)

    # Then the client gets the documented 503 with Retry-After, while the invocation still has time
    assert context.get_remaining_time_in_millis() > 0
    assert response["statusCode"] == 503
    assert response["headers"]["Retry-After"] == "1"
    assert json.loads(response["body"])["error"]["code"] == "SERVICE_UNAVAILABLE"


def test_api_get_answers_its_503_before_its_timeout_when_the_table_hangs(aws, hanging):
    hanging("dynamodb")
    context = LambdaContext(timeout_ms=TIMEOUT_MS)
    response = api_handler(get_order_event("00000000-0000-4000-8000-000000000000"), context)
    assert context.get_remaining_time_in_millis() > 0
    assert response["statusCode"] == 503


def test_a_retry_once_the_queue_answers_again_is_accepted(aws, monkeypatch, hanging):
    hanging("sqs")
    assert api_handler(post_order_event(VALID_ORDER), LambdaContext(timeout_ms=TIMEOUT_MS))["statusCode"] == 503
    monkeypatch.delenv("AWS_ENDPOINT_URL_SQS")
    from orders.data.clients import aws_client
    from services.api.handler import dependencies

    aws_client.cache_clear()  # a new container, as after the old one timed out
    dependencies.cache_clear()
    assert api_handler(post_order_event(VALID_ORDER), LambdaContext())["statusCode"] == 202
    assert len(aws.queued_messages()) == 1


@pytest.mark.parametrize("service", ["s3", "dynamodb"], ids=["catalog-hangs", "orders-table-hangs"])
def test_processor_reports_every_record_failed_before_its_timeout_when_a_dependency_hangs(aws, hanging, service):
    # Given a batch and a dependency that never answers
    hanging(service)
    event = sqs_event([json.dumps(message()) for _ in range(3)])
    context = LambdaContext(timeout_ms=TIMEOUT_MS)

    # When the processor runs
    response = processor_handler(event, context)

    # Then every record is reported failed (SQS retries each), before the invocation's timeout
    assert context.get_remaining_time_in_millis() > 0
    assert sorted(item["itemIdentifier"] for item in response["batchItemFailures"]) == sorted(
        record["messageId"] for record in event["Records"]
    )


def test_an_attempt_that_cannot_end_in_time_is_never_sent(aws, log_lines):
    # Given an invocation with no time for any attempt (all of it is the answer's margin)
    context = LambdaContext(timeout_ms=int(ANSWER_MARGIN_SECONDS * 1000))

    # When an order is posted
    response = api_handler(post_order_event(VALID_ORDER), context)

    # Then it is a 503, and the queue saw nothing (a refused attempt never reaches AWS, nor moto)
    assert response["statusCode"] == 503
    assert aws.queued_messages() == []
    # and the log says why no attempt was made, with the time there was and the time one may take
    logged = [line["error"] for line in log_lines() if line["message"] == "dependency unavailable"]
    assert len(logged) == 1
    assert re.fullmatch(r"no time for an AWS call: -?\d+\.\d\d s left, an attempt may take \d+\.\d\d s", logged[0])


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class FixedContext:
    def __init__(self, remaining_ms: int) -> None:
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


def test_the_deadline_is_the_remaining_time_less_the_answer_margin():
    clock = FakeClock()
    deadline = CallDeadline(clock)
    assert deadline.seconds_left() == math.inf  # outside an invocation: no deadline
    with deadline.within(FixedContext(10_000)):
        assert deadline.seconds_left() == pytest.approx(10 - ANSWER_MARGIN_SECONDS)
        clock.now += 3
        assert deadline.seconds_left() == pytest.approx(7 - ANSWER_MARGIN_SECONDS)
    assert deadline.seconds_left() == math.inf


@pytest.mark.parametrize(
    ("remaining_ms", "expected"),
    [
        pytest.param(10_000, AttemptTimeouts(0.625, 1.25), id="api-10s"),
        pytest.param(30_000, AttemptTimeouts(2.0, 4.875), id="processor-30s-connect-capped"),
    ],
)
def test_attempt_timeouts_are_a_quarter_of_the_time_left(remaining_ms, expected):
    deadline = CallDeadline(FakeClock())
    with deadline.within(FixedContext(remaining_ms)):
        timeouts = deadline.attempt_timeouts()
    assert timeouts.connect_seconds == pytest.approx(expected.connect_seconds)
    assert timeouts.read_seconds == pytest.approx(expected.read_seconds)
