"""Shared fixtures: environment for the handlers, and moto-backed AWS resources."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from tests.support.aws_rules import aws_rules
from tests.support.local_stack import local_stack
from tests.support.resources import create_queue_with_dead_letters, create_table

__all__ = ["local_stack"]  # the `make dev` stack, a session fixture for integration and reliability tests

REPO_ROOT = Path(__file__).resolve().parents[1]
CATALOG_FILE = REPO_ROOT / "frontend" / "catalog" / "products.json"

TEST_ENVIRONMENT = {
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_REGION": "eu-west-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "POWERTOOLS_SERVICE_NAME": "orders",
    "POWERTOOLS_METRICS_NAMESPACE": "orders-test",
    "ORDERS_TABLE_NAME": "orders-test-orders",
    "ORDERS_CUSTOMER_INDEX_NAME": "byCustomer",  # as serverless.yml names it: create_table names it from there
    "ORDER_QUEUE_NAME": "orders-test-orders",
    "CATALOG_BUCKET_NAME": "orders-test-frontend",
    "CATALOG_OBJECT_KEY": "catalog/products.json",
    "ORDER_ID_NAMESPACE": "0d7c3f55-8a0e-4d62-9a0b-5b1e9d2c7f11",
}


# Logger and Metrics read these when the handler modules are imported, before any fixture runs.
for _name in ("POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE"):
    os.environ[_name] = TEST_ENVIRONMENT[_name]


@pytest.fixture(autouse=True)
def handler_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test runs like a fresh Lambda container: its own settings, clients and dependencies."""
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in TEST_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    _reset_containers()
    yield
    _reset_containers()


def _reset_containers() -> None:
    from orders.config import get_settings
    from orders.data.clients import aws_client
    from services.api import handler as api_handler
    from services.processor import handler as processor_handler

    get_settings.cache_clear()
    aws_client.cache_clear()
    api_handler.dependencies.cache_clear()
    processor_handler.dependencies.cache_clear()


@dataclass
class Aws:
    dynamodb: Any
    sqs: Any
    s3: Any
    queue_url: str
    dead_letter_url: str

    def queued_messages(self) -> list[dict[str, Any]]:
        """Every message on the order queue, received and left invisible (each test has its own queue)."""
        messages: list[dict[str, Any]] = []
        while True:
            batch = self.sqs.receive_message(
                QueueUrl=self.queue_url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]
            ).get("Messages", [])
            if not batch:
                return messages
            messages.extend(batch)

    def upload_catalog(self, body: bytes) -> None:
        self.s3.put_object(Bucket=os.environ["CATALOG_BUCKET_NAME"], Key=os.environ["CATALOG_OBJECT_KEY"], Body=body)


@pytest.fixture
def aws() -> Iterator[Aws]:
    """moto, holding the rules of AWS that moto does not enforce (tests/support/aws_rules.py)."""
    with mock_aws(), aws_rules():
        dynamodb = boto3.client("dynamodb")
        sqs = boto3.client("sqs")
        s3 = boto3.client("s3")
        create_table(dynamodb, "OrdersTable", os.environ["ORDERS_TABLE_NAME"])
        queue_url, dead_letter_url = create_queue_with_dead_letters(
            sqs, os.environ["ORDER_QUEUE_NAME"], os.environ["ORDER_QUEUE_NAME"] + "-dlq"
        )
        s3.create_bucket(
            Bucket=os.environ["CATALOG_BUCKET_NAME"],
            CreateBucketConfiguration={"LocationConstraint": os.environ["AWS_REGION"]},
        )
        resources = Aws(dynamodb=dynamodb, sqs=sqs, s3=s3, queue_url=queue_url, dead_letter_url=dead_letter_url)
        resources.upload_catalog(CATALOG_FILE.read_bytes())
        yield resources


@pytest.fixture
def log_lines(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[dict[str, Any]]]:
    """The JSON lines the shared Powertools logger writes during the test."""
    from orders.observability import logger

    stream = io.StringIO()
    monkeypatch.setattr(logger.registered_handler, "stream", stream)
    return lambda: [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
