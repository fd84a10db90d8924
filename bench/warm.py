"""Warm per-request cost, in-process: the handlers called in a loop with every AWS call answered locally.

Two ways of answering, so that our code and the SDK's share are told apart:
- `own`: each client is a stub that returns at once: what remains is our code, Powertools and pydantic.
- `botocore`: real botocore clients whose requests are answered by a `before-send` hook: adds the SDK's
  serialising, signing and response parsing, still with no network.

`measure()` runs this module in a subprocess (`python -P -m bench.warm OUT.json`) with stdout discarded:
each request writes a log line and a metrics blob, and formatting those is part of the cost measured.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.environment import CATALOG_FILE, function_environment
from bench.events import batch_event, order_message, post_event
from bench.stats import summarise
from scripts.processes import BIN, REPO_ROOT
from tests.support.events import LambdaContext, get_order_event

QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/orders-bench-orders"
STORED_ORDER_ID = str(uuid.uuid4())
WARMUP = 50
ROUNDS = 5
CALLS_PER_ROUND = 300
BATCH_SIZE = 10
JSON_HEADERS = {"content-type": "application/x-amz-json-1.0"}


def stored_order_item() -> dict[str, Any]:
    """An order as DynamoDB returns it (for GET), priced and serialised by the processor's own code."""
    from boto3.dynamodb.types import TypeSerializer

    from orders.models import Catalog, OrderMessage, utc_now
    from services.processor.pricing import price_order

    message = OrderMessage.model_validate_json(order_message(STORED_ORDER_ID))
    order = price_order(message, Catalog.model_validate_json(CATALOG_FILE.read_bytes()), utc_now())
    document = order.model_dump(mode="json", by_alias=True, exclude_none=True)
    return {key: TypeSerializer().serialize(value) for key, value in document.items()}


class StubClient:
    """Every client call the functions make, answered at once with what AWS would answer."""

    def __init__(self, order_item: dict[str, Any]) -> None:
        self._order_item = order_item

    def get_queue_url(self, **_: Any) -> dict[str, Any]:
        return {"QueueUrl": QUEUE_URL}

    def send_message(self, **_: Any) -> dict[str, Any]:
        return {"MessageId": str(uuid.uuid4())}

    def put_item(self, **_: Any) -> dict[str, Any]:
        return {}

    def update_item(self, **_: Any) -> dict[str, Any]:
        return {}

    def get_item(self, Key: dict[str, Any], **_: Any) -> dict[str, Any]:  # noqa: N803 - boto3's name
        return _stored(Key, self._order_item)

    def get_object(self, **_: Any) -> dict[str, Any]:
        return {"Body": io.BytesIO(CATALOG_FILE.read_bytes())}


def _stored(key: dict[str, Any], order_item: dict[str, Any]) -> dict[str, Any]:
    """GetItem's answer: the stored order for its id; nothing for any other (a new Idempotency-Key's order)."""
    return {"Item": order_item} if key == {"orderId": {"S": STORED_ORDER_ID}} else {}


class _RawBody(io.BytesIO):
    """What botocore reads an HTTP response body from: `.stream()` for JSON, `.read()` for S3 objects."""

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.getvalue()


def answer_locally(client: Any, order_item: dict[str, Any]) -> None:
    """Answer every request of a real botocore client from a `before-send` hook: nothing leaves the process."""
    from botocore.awsrequest import AWSResponse

    def answer(request: Any, event_name: str, **_: Any) -> AWSResponse:
        operation = event_name.rsplit(".", 1)[-1]
        headers, body = JSON_HEADERS, b"{}"
        if operation == "GetQueueUrl":
            body = json.dumps({"QueueUrl": QUEUE_URL}).encode()
        elif operation == "SendMessage":
            sent = json.loads(request.body)["MessageBody"].encode()
            md5 = hashlib.md5(sent, usedforsecurity=False).hexdigest()
            body = json.dumps({"MessageId": str(uuid.uuid4()), "MD5OfMessageBody": md5}).encode()
        elif operation == "GetItem":
            body = json.dumps(_stored(json.loads(request.body)["Key"], order_item)).encode()
        elif operation == "GetObject":
            body = CATALOG_FILE.read_bytes()
            headers = {"content-type": "application/json", "content-length": str(len(body))}
        return AWSResponse(request.url, 200, headers, _RawBody(body))

    client.meta.events.register("before-send", answer)


def use_clients(factory: Callable[[str], Any]) -> None:
    """Give both handlers these clients, as a new container would get them."""
    from services.api import handler as api
    from services.processor import handler as processor

    for module in (api, processor):
        module.__dict__["aws_client"] = factory
        module.dependencies.cache_clear()


def per_call_ms(serve: Callable[[Any], None], events: list[Any], units_per_call: int = 1) -> float:
    started = time.perf_counter()
    for event in events:
        serve(event)
    return (time.perf_counter() - started) * 1000 / (len(events) * units_per_call)


def scenarios() -> dict[str, tuple[Callable[[], Any], Callable[[Any], None], int]]:
    """name -> (make one event, serve it and check the answer, units per event)."""
    from services.api.handler import lambda_handler as api
    from services.processor.handler import lambda_handler as processor

    # A context per invocation, as Lambda gives: its remaining time runs down, and the handlers' deadline
    # (orders.data.deadline) would refuse calls in a context reused for longer than the function's timeout.
    def expect(status: int) -> Callable[[Any], None]:
        def serve(event: Any) -> None:
            answer = api(event, LambdaContext())
            if answer["statusCode"] != status:
                raise RuntimeError(f"expected {status}, got {answer}")

        return serve

    def process(event: Any) -> None:
        if processor(event, LambdaContext())["batchItemFailures"]:
            raise RuntimeError("a record failed")

    return {
        "api_post": (post_event, expect(202), 1),
        "api_post_key": (lambda: post_event(f"bench-{uuid.uuid4()}"), expect(202), 1),
        "api_get": (lambda: get_order_event(STORED_ORDER_ID), expect(200), 1),
        "processor_record": (lambda: batch_event(BATCH_SIZE), process, BATCH_SIZE),
    }


def run(mode: str) -> dict[str, Any]:
    order_item = stored_order_item()
    if mode == "own":
        stub = StubClient(order_item)
        use_clients(lambda _name: stub)
    else:
        from orders.data.clients import aws_client

        for name in ("sqs", "dynamodb", "s3"):
            answer_locally(aws_client(name), order_item)
        use_clients(aws_client)
    results: dict[str, Any] = {}
    for name, (make_event, serve, units) in scenarios().items():
        calls = CALLS_PER_ROUND // units
        per_call_ms(serve, [make_event() for _ in range(max(1, WARMUP // units))], units)
        rounds = [per_call_ms(serve, [make_event() for _ in range(calls)], units) for _ in range(ROUNDS)]
        results[name] = summarise(rounds).as_dict()
    return results


def measure() -> dict[str, Any]:
    # The endpoint is never contacted (port 9 is discard): every request is answered in the process.
    env = function_environment("http://127.0.0.1:9")
    with tempfile.TemporaryDirectory(prefix="bench-warm-") as temp:
        output = Path(temp) / "warm.json"
        subprocess.run(
            [str(BIN / "python"), "-P", "-W", "ignore::UserWarning", "-m", "bench.warm", str(output)],
            env=env,
            cwd=REPO_ROOT,
            stdout=subprocess.DEVNULL,
            check=True,
            timeout=300,
        )
        return dict(json.loads(output.read_text()))


def main() -> None:
    results = {mode: run(mode) for mode in ("own", "botocore")}
    Path(sys.argv[1]).write_text(json.dumps(results))


if __name__ == "__main__":
    main()
