"""Run `make dev`'s stack in the background on free ports, for tests, load runs and benchmarks."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any

from scripts.local_aws import moto_client, plain_item
from scripts.local_cognito import LocalShopper, new_shopper
from scripts.processes import BIN, LOOPBACK, REPO_ROOT, free_port, port_is_free

READY_LINE = "order system running locally"
STOPPING_LINE = "make dev: stopping"
STOPPED_LINE = "stopped every process it started"
USER_POOL = "orders-local-shoppers"
CUSTOMER_INDEX = "byCustomer"  # serverless.yml custom.names.ordersCustomerIndex
PORT_VARIABLES = ("MOTO_PORT", "API_PORT", "WEB_PORT", "OFFLINE_LAMBDA_PORT")
# How long `make dev` may take to stop after each signal before the next, harsher one is sent.
STOP_GRACE_SECONDS = 60


@dataclass
class DevStack:
    api: str
    web: str
    aws_endpoint: str
    ports: list[int]
    region: str
    process: subprocess.Popen[str]
    output: list[str] = field(default_factory=list)
    output_closed: bool = False
    _output_changed: threading.Condition = field(default_factory=threading.Condition, repr=False)

    def queue_depth(self) -> int:
        """Messages in the local order queue, waiting or being processed."""
        sqs = moto_client("sqs", self.aws_endpoint, self.region)
        url = sqs.get_queue_url(QueueName="orders-local-orders")["QueueUrl"]
        names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
        # "All", not the two names: moto 5.2 recounts every message of the queue for each name it looks up
        # (several times per name), and once for "All"; while `make load` samples it, that is moto's time.
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        return sum(int(attributes[name]) for name in names)

    def stored_orders(self, customer_id: str) -> list[dict[str, Any]]:
        """The local orders table's items of one customer, as plain Python values (`plain_item`).

        A Query of the customer's partition of the byCustomer index, not a Scan of every shopper's orders. moto's
        index is never behind the table; on AWS it can lag (docs/aws-differences.md), so this is local-only.
        """
        dynamodb = moto_client("dynamodb", self.aws_endpoint, self.region)
        pages = dynamodb.get_paginator("query").paginate(
            TableName="orders-local-orders",
            IndexName=CUSTOMER_INDEX,
            KeyConditionExpression="customerId = :customer",
            ExpressionAttributeValues={":customer": {"S": customer_id}},
        )
        return [plain_item(item) for page in pages for item in page["Items"]]

    def user_pool(self) -> tuple[str, str]:
        """The local shoppers' user pool id and its storefront app client's id, as moto holds them."""
        idp = moto_client("cognito-idp", self.aws_endpoint, self.region)
        pools = idp.list_user_pools(MaxResults=60)["UserPools"]
        (pool_id,) = [pool["Id"] for pool in pools if pool["Name"] == USER_POOL]
        clients = idp.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
        (client_id,) = [client["ClientId"] for client in clients if client["ClientName"] == "storefront"]
        return pool_id, client_id

    def new_shopper(self, name: str = "shopper", *, email: str = "", password: str = "") -> LocalShopper:
        """A new confirmed shopper of the local pool (`new_shopper`), whose tokens the local authorizer verifies."""
        pool_id, client_id = self.user_pool()
        idp = moto_client("cognito-idp", self.aws_endpoint, self.region)
        return new_shopper(idp, pool_id, client_id, name, email=email, password=password)

    def add_output(self, line: str | None) -> None:
        """Record a line of `make dev`'s output (None: the output ended) and wake whoever waits for one."""
        with self._output_changed:
            if line is None:
                self.output_closed = True
            else:
                self.output.append(line)
            self._output_changed.notify_all()

    def wait_for_output(self, text: str, timeout_seconds: float) -> bool:
        """Whether a line containing `text` was printed within the timeout (False at once if the output ended)."""

        def printed() -> bool:
            return any(text in line for line in self.output)

        with self._output_changed:
            self._output_changed.wait_for(lambda: printed() or self.output_closed, timeout_seconds)
            return printed()

    def wait_for_exit(self, timeout_seconds: float) -> int | None:
        """`make dev`'s exit status, or None if it is still running after the timeout."""
        try:
            return self.process.wait(timeout=timeout_seconds)
        except subprocess.TimeoutExpired:
            return None


@contextmanager
def dev_stack(
    region: str = "eu-west-1",
    ready_timeout_seconds: float = 120,
    inherited_ignored: tuple[signal.Signals, ...] = (),
) -> Iterator[DevStack]:
    """Start `python -m scripts.dev` on free loopback ports; stop it with SIGINT, as Ctrl-C would.

    `inherited_ignored`: signals `make dev` starts with ignored, as a non-interactive shell's `&` leaves SIGINT.
    If it has not stopped on SIGINT within STOP_GRACE_SECONDS, it gets SIGTERM, then SIGKILL.
    """
    ports = {name: free_port() for name in PORT_VARIABLES}
    env = {**os.environ, "AWS_REGION": region, **{name: str(port) for name, port in ports.items()}}
    argv = [str(BIN / "python"), "-m", "scripts.dev"]
    if inherited_ignored:
        # The shell ignores the signals, then becomes `make dev` (same pid), which inherits them ignored.
        names = " ".join(signum.name.removeprefix("SIG") for signum in inherited_ignored)
        argv = ["/bin/sh", "-c", f"trap '' {names}; exec \"$@\"", "sh", *argv]
    process = subprocess.Popen(
        argv, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    stack = DevStack(
        api=f"http://{LOOPBACK}:{ports['API_PORT']}",
        web=f"http://{LOOPBACK}:{ports['WEB_PORT']}",
        aws_endpoint=f"http://{LOOPBACK}:{ports['MOTO_PORT']}",
        ports=list(ports.values()),
        region=region,
        process=process,
    )

    def drain(lines: IO[str]) -> None:  # keep reading so the pipe never fills and blocks the stack
        for line in lines:
            stack.add_output(line)
        stack.add_output(None)

    threading.Thread(target=drain, args=(process.stdout,), daemon=True).start()
    try:
        if not stack.wait_for_output(READY_LINE, ready_timeout_seconds):
            raise TimeoutError("make dev never became ready:\n" + "".join(stack.output))
        yield stack
    finally:
        stop(stack)


def stop(stack: DevStack) -> None:
    """SIGINT, as Ctrl-C would; SIGTERM, then SIGKILL, for a `make dev` that does not stop."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        if stack.process.poll() is not None:
            return
        stack.process.send_signal(signum)
        if stack.wait_for_exit(STOP_GRACE_SECONDS) is not None:
            return


def stopped_cleanly(stack: DevStack) -> bool:
    """Whether the stack said it stopped everything and left none of its ports bound."""
    return STOPPED_LINE in "".join(stack.output) and all(port_is_free(port) for port in stack.ports)
