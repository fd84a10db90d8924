"""The `make dev` stack, started once per test session on free loopback ports and stopped at the
end, the way a user stops it: SIGINT (Ctrl-C). Stopping must leave no port bound."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from scripts.local_aws import moto_client
from scripts.processes import BIN, REPO_ROOT, free_port, port_is_free

READY_LINE = "order system running locally"
REGION = "eu-west-1"


@dataclass
class Stack:
    api: str
    web: str
    aws_endpoint: str
    output: list[str]

    def stored_orders(self, customer_id: str) -> list[dict[str, str]]:
        """The orders table's items for one customer, as {attribute: scalar value}."""
        dynamodb = moto_client("dynamodb", self.aws_endpoint, REGION)
        items = dynamodb.scan(TableName="orders-local-orders")["Items"]
        flat = [{key: next(iter(value.values())) for key, value in item.items()} for item in items]
        return [item for item in flat if item["customerId"] == customer_id]


@pytest.fixture(scope="session")
def local_stack() -> Iterator[Stack]:
    ports = {name: free_port() for name in ("MOTO_PORT", "API_PORT", "WEB_PORT", "OFFLINE_LAMBDA_PORT")}
    env = {**os.environ, "AWS_REGION": REGION, **{name: str(port) for name, port in ports.items()}}
    process = subprocess.Popen(
        [str(BIN / "python"), "-m", "scripts.dev"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    ready = threading.Event()

    def drain() -> None:  # keep reading so the pipe never fills and blocks the stack
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if READY_LINE in line:
                ready.set()

    threading.Thread(target=drain, daemon=True).start()
    try:
        assert ready.wait(timeout=120), "make dev never became ready:\n" + "".join(output)
        yield Stack(
            api=f"http://127.0.0.1:{ports['API_PORT']}",
            web=f"http://127.0.0.1:{ports['WEB_PORT']}",
            aws_endpoint=f"http://127.0.0.1:{ports['MOTO_PORT']}",
            output=output,
        )
    finally:
        process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        process.wait(timeout=60)
    assert "stopped every process it started" in "".join(output)
    assert [port for port in ports.values() if not port_is_free(port)] == []
