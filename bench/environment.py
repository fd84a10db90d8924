"""The AWS side every benchmark runs against: a moto server on loopback holding the stack's tables, queue and
catalog, and the environment variables serverless.yml gives the functions. Nothing here can reach AWS."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from scripts.local_aws import moto_client
from scripts.processes import REPO_ROOT, moto_server
from tests.support.resources import create_table

REGION = "eu-west-1"
STAGE = "bench"
CATALOG_FILE = REPO_ROOT / "frontend" / "catalog" / "products.json"
RESULTS_DIR = REPO_ROOT / "bench" / "results"

# The same names serverless.yml derives, for a stage called "bench".
FUNCTION_ENVIRONMENT = {
    "POWERTOOLS_SERVICE_NAME": "orders",
    "POWERTOOLS_METRICS_NAMESPACE": f"orders-{STAGE}",
    "POWERTOOLS_LOG_LEVEL": "INFO",
    "ORDERS_TABLE_NAME": f"orders-{STAGE}-orders",
    "ORDERS_CUSTOMER_INDEX_NAME": "byCustomer",
    "ORDER_QUEUE_NAME": f"orders-{STAGE}-orders",
    "CATALOG_BUCKET_NAME": f"orders-{STAGE}-frontend",
    "CATALOG_OBJECT_KEY": "catalog/products.json",
    "ORDER_ID_NAMESPACE": "5b0e8c1a-2f4d-4e9b-8c7a-3d2e1f0a9b8c",  # in AWS, the stack's own UUID
}


def function_environment(endpoint: str, queue_url: str = "") -> dict[str, str]:
    """A function's environment as in Lambda (region, credentials, our variables), pointed at `endpoint`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "POWERTOOLS_")) and key not in FUNCTION_ENVIRONMENT
    }
    env.update(FUNCTION_ENVIRONMENT)
    env.update(
        AWS_ENDPOINT_URL=endpoint,
        AWS_REGION=REGION,
        AWS_DEFAULT_REGION=REGION,
        AWS_ACCESS_KEY_ID="moto",
        AWS_SECRET_ACCESS_KEY="moto",  # noqa: S106 - moto accepts any credentials
        PYTHONPATH=os.pathsep.join([str(REPO_ROOT), str(REPO_ROOT / "shared" / "python")]),
        BENCH_QUEUE_URL=queue_url,
    )
    return env


@dataclass(frozen=True)
class LocalAws:
    endpoint: str
    queue_url: str

    def environment(self) -> dict[str, str]:
        return function_environment(self.endpoint, self.queue_url)


def create_resources(endpoint: str) -> LocalAws:
    """Tables from resources/data.yml (as the unit tests make them), the queue, and the catalog in its bucket."""
    dynamodb = moto_client("dynamodb", endpoint, REGION)
    create_table(dynamodb, "OrdersTable", FUNCTION_ENVIRONMENT["ORDERS_TABLE_NAME"])
    queue_url = moto_client("sqs", endpoint, REGION).create_queue(QueueName=FUNCTION_ENVIRONMENT["ORDER_QUEUE_NAME"])
    s3 = moto_client("s3", endpoint, REGION)
    bucket = FUNCTION_ENVIRONMENT["CATALOG_BUCKET_NAME"]
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_object(Bucket=bucket, Key=FUNCTION_ENVIRONMENT["CATALOG_OBJECT_KEY"], Body=CATALOG_FILE.read_bytes())
    return LocalAws(endpoint=endpoint, queue_url=str(queue_url["QueueUrl"]))


@contextmanager
def local_aws(log_file: Path | None = None) -> Iterator[LocalAws]:
    """A moto server on a free loopback port with the stack's resources; stopped on exit."""
    with moto_server(log_file=log_file) as endpoint:
        yield create_resources(endpoint)
