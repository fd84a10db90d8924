"""AWS requests per order: real orders through both handlers against moto server, at the deployed batch
size, every AWS call counted with botocore's `before-parameter-build` event hook; then turned into dollars.

Lambda's SQS poller (ReceiveMessage, DeleteMessageBatch) is played by this script and counted separately:
AWS bills those requests to the queue's owner. `measure()` runs `python -P -m bench.aws_calls OUT.json`
in a subprocess with the functions' environment.
"""

from __future__ import annotations

import io
import json
import math
import os
import subprocess
import sys
import tempfile
import uuid
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.environment import LocalAws
from bench.events import post_event
from bench.pricing import (
    ASSUMED_PLATFORM_LOG_BYTES,
    PerOrder,
    billed_ms,
    deployment,
    dollars_per_million_orders,
    item_bytes,
    write_units,
)
from scripts.processes import BIN, REPO_ROOT
from tests.support.events import LambdaContext, sqs_event

STEADY_BATCHES = 3
WRITES = ("PutItem", "UpdateItem", "DeleteItem")


class CountingStream(io.TextIOBase):
    """Counts the UTF-8 bytes written (log lines, metrics), and keeps none of them."""

    def __init__(self) -> None:
        self.bytes = 0

    def write(self, text: str) -> int:
        self.bytes += len(text.encode("utf-8"))
        return len(text)


class Run:
    def __init__(self, batch_size: int) -> None:
        from orders.data.clients import aws_client
        from orders.observability import logger
        from services.api.handler import lambda_handler as api
        from services.processor.handler import lambda_handler as processor

        self.batch_size = batch_size
        self.api, self.processor = api, processor
        self.calls: Counter[str] = Counter()
        self.function = "api"
        for name in ("sqs", "dynamodb", "s3"):
            aws_client(name).meta.events.register("before-parameter-build", self._count)
        self.logs = CountingStream()
        logger.registered_handler.stream = self.logs  # type: ignore[attr-defined]
        sys.stdout = self.logs  # Powertools prints the metrics blob to stdout
        self.poller = _moto_client("sqs")
        self.poller.meta.events.register("before-parameter-build", self._count)
        self.queue_url = os.environ["BENCH_QUEUE_URL"]

    def _count(self, event_name: str, params: dict[str, Any], **_: Any) -> None:
        operation = event_name.split(".", 2)[2]
        table = params.get("TableName")
        table_kind = "" if table is None else " orders"
        self.calls[f"{self.function}: {operation}{table_kind}"] += 1

    def batch(self, idempotency_key: bool) -> None:
        self.function = "api"
        for _ in range(self.batch_size):
            answer = self.api(post_event(f"bench-{uuid.uuid4()}" if idempotency_key else None), LambdaContext())
            if answer["statusCode"] != 202:
                raise RuntimeError(f"POST answered {answer}")
        self.function = "Lambda's SQS poller"
        messages: list[dict[str, Any]] = []
        for _ in range(20):  # moto answers at once; a bound so that a lost message fails instead of hanging
            if len(messages) >= self.batch_size:
                break
            received = self.poller.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=self.batch_size)
            messages += received.get("Messages", [])
        if len(messages) != self.batch_size:
            raise RuntimeError(f"expected {self.batch_size} queued messages, received {len(messages)}")
        event = sqs_event([m["Body"] for m in messages], [m["MessageId"] for m in messages])
        self.function = "processor"
        if self.processor(event, LambdaContext())["batchItemFailures"]:  # one context per invocation
            raise RuntimeError("a record failed")
        self.function = "Lambda's SQS poller"
        entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)]
        self.poller.delete_message_batch(QueueUrl=self.queue_url, Entries=entries)

    def steady(self, idempotency_key: bool) -> dict[str, Any]:
        self.calls.clear()
        self.logs.bytes = 0
        for _ in range(STEADY_BATCHES):
            self.batch(idempotency_key)
        orders = STEADY_BATCHES * self.batch_size
        return {
            "orders": orders,
            "calls_per_order": {call: count / orders for call, count in sorted(self.calls.items())},
            "log_bytes_per_order": self.logs.bytes / orders,
        }

    def largest_items(self) -> dict[str, int]:
        """The largest item stored in each table (one: orders): what a write of it costs in write units."""
        items = _moto_client("dynamodb").scan(TableName=os.environ["ORDERS_TABLE_NAME"])["Items"]
        return {"orders": max(item_bytes(item) for item in items)}


def _moto_client(service: str) -> Any:
    """A client outside the handlers' own (Lambda's poller, reading the tables): not what is measured."""
    import botocore.session

    return botocore.session.get_session().create_client(service)


def main() -> None:
    run = Run(int(sys.argv[2]))
    run.batch(idempotency_key=False)
    result = {
        "batch_size": run.batch_size,
        "first_batch_calls": dict(sorted(run.calls.items())),
        "without_key": run.steady(idempotency_key=False),
        "with_key": run.steady(idempotency_key=True),
        "largest_item_bytes": run.largest_items(),
    }
    Path(sys.argv[1]).write_text(json.dumps(result))


def measure(aws: LocalAws) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-calls-") as temp:
        output = Path(temp) / "calls.json"
        argv = [str(BIN / "python"), "-P", "-m", "bench.aws_calls", str(output), str(deployment().batch_size)]
        subprocess.run(argv, env=aws.environment(), cwd=REPO_ROOT, check=True, timeout=300)
        return dict(json.loads(output.read_text()))


SQS_OPERATIONS = {"SendMessage", "ReceiveMessage", "DeleteMessageBatch", "DeleteMessage", "GetQueueUrl"}


def _operation(call: str) -> tuple[str, str, str]:
    """ "api: PutItem orders" -> ("api", "PutItem", "orders")."""
    function, _, rest = call.partition(": ")
    operation, _, table = rest.partition(" ")
    return function, operation, table


def costs(calls: dict[str, Any], warm: dict[str, Any], scenario: str) -> dict[str, Any]:
    """Per-order usage and dollars per million orders for one scenario (`without_key` or `with_key`)."""
    setup = deployment()
    per_order = calls[scenario]["calls_per_order"]
    by_function: Counter[str] = Counter()
    sqs = writes = write_units_ = reads = s3_gets = 0.0
    for call, count in per_order.items():
        function, operation, table = _operation(call)
        by_function[function] += count
        if operation in SQS_OPERATIONS:
            sqs += count
        elif operation in WRITES:
            writes += count
            # Every order write is written again to each index of the orders table (all attributes projected).
            copies = 1 + (setup.orders_table_indexes if table == "orders" else 0)
            write_units_ += count * copies * write_units(calls["largest_item_bytes"][table])
        elif operation == "GetItem":
            reads += count * math.ceil(calls["largest_item_bytes"][table] / 4096)
        elif operation == "GetObject":
            s3_gets += count
    api_case = "api_post_key" if scenario == "with_key" else "api_post"
    api_ms = billed_ms(warm["botocore"][api_case]["median"], by_function["api"], setup.memory_mb)
    batch_ms = billed_ms(
        warm["botocore"]["processor_record"]["median"] * setup.batch_size,
        by_function["processor"] * setup.batch_size,
        setup.memory_mb,
    )
    invocations = 1 + 1 / setup.batch_size
    usage = PerOrder(
        http_api_requests=1,
        lambda_invocations=invocations,
        lambda_gb_seconds=(api_ms + batch_ms / setup.batch_size) / 1000 * setup.memory_mb / 1024,
        sqs_requests=sqs,
        dynamodb_write_units=write_units_,
        dynamodb_read_units=reads,
        s3_gets=s3_gets,
        log_bytes=calls[scenario]["log_bytes_per_order"] + ASSUMED_PLATFORM_LOG_BYTES * invocations,
    )
    return {
        "dynamodb_writes_per_order": writes,
        "billed_ms": {"api_invocation": api_ms, "processor_batch": batch_ms},
        "usage_per_order": asdict(usage),
        "usd_per_million_orders": dollars_per_million_orders(usage, setup.architecture),
    }


if __name__ == "__main__":
    main()
