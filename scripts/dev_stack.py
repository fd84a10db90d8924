"""Run `make dev`'s stack in the background on free ports, for tests, load runs and benchmarks."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO

from scripts.local_aws import moto_client, plain_item
from scripts.processes import BIN, LOOPBACK, REPO_ROOT, free_port, port_is_free

READY_LINE = "order system running locally"
STOPPED_LINE = "stopped every process it started"
PORT_VARIABLES = ("MOTO_PORT", "API_PORT", "WEB_PORT", "OFFLINE_LAMBDA_PORT")


@dataclass
class DevStack:
    api: str
    web: str
    aws_endpoint: str
    ports: list[int]
    region: str
    output: list[str] = field(default_factory=list)

    def queue_depth(self) -> int:
        """Messages in the local order queue, waiting or being processed."""
        sqs = moto_client("sqs", self.aws_endpoint, self.region)
        url = sqs.get_queue_url(QueueName="orders-local-orders")["QueueUrl"]
        names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
        return sum(int(attributes[name]) for name in names)

    def stored_orders(self, customer_id: str) -> list[dict[str, str]]:
        """The local orders table's items of one customer, as {attribute: scalar value}."""
        dynamodb = moto_client("dynamodb", self.aws_endpoint, self.region)
        pages = dynamodb.get_paginator("scan").paginate(TableName="orders-local-orders")
        items = [item for page in pages for item in page["Items"]]
        flat = [plain_item(item) for item in items]
        return [item for item in flat if item["customerId"] == customer_id]


@contextmanager
def dev_stack(region: str = "eu-west-1", ready_timeout_seconds: float = 120) -> Iterator[DevStack]:
    """Start `python -m scripts.dev` on free loopback ports; stop it with SIGINT, as Ctrl-C would."""
    ports = {name: free_port() for name in PORT_VARIABLES}
    env = {**os.environ, "AWS_REGION": region, **{name: str(port) for name, port in ports.items()}}
    process = subprocess.Popen(
        [str(BIN / "python"), "-m", "scripts.dev"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    stack = DevStack(
        api=f"http://{LOOPBACK}:{ports['API_PORT']}",
        web=f"http://{LOOPBACK}:{ports['WEB_PORT']}",
        aws_endpoint=f"http://{LOOPBACK}:{ports['MOTO_PORT']}",
        ports=list(ports.values()),
        region=region,
    )
    ready = threading.Event()

    def drain(lines: IO[str]) -> None:  # keep reading so the pipe never fills and blocks the stack
        for line in lines:
            stack.output.append(line)
            if READY_LINE in line:
                ready.set()

    threading.Thread(target=drain, args=(process.stdout,), daemon=True).start()
    try:
        if not ready.wait(timeout=ready_timeout_seconds):
            raise TimeoutError("make dev never became ready:\n" + "".join(stack.output))
        yield stack
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)


def stopped_cleanly(stack: DevStack) -> bool:
    """Whether the stack said it stopped everything and left none of its ports bound."""
    return STOPPED_LINE in "".join(stack.output) and all(port_is_free(port) for port in stack.ports)
