"""AWS's public on-demand prices, and the arithmetic that turns counted requests into dollars per order.

Prices are us-east-1 (US East, N. Virginia), on demand, past any free tier, as published on each page
below; read in 2025, DynamoDB's after its 2024-11-01 on-demand reduction. eu-west-1, this stack's default
region, charges the same for Lambda, SQS and HTTP APIs and a little more for DynamoDB and S3 requests.
Check the pages before quoting a figure: prices change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

PRICES_REGION = "us-east-1"
PRICES_READ = "2025"

# https://aws.amazon.com/lambda/pricing/ : requests, and duration per GB-second (first pricing tier)
LAMBDA_REQUEST_USD = 0.20 / 1_000_000
LAMBDA_GB_SECOND_USD = {"arm64": 0.0000133334, "x86_64": 0.0000166667}
# https://aws.amazon.com/sqs/pricing/ : standard queue; every 64 KB chunk of a request is one request
SQS_REQUEST_USD = 0.40 / 1_000_000
# https://aws.amazon.com/dynamodb/pricing/on-demand/ : write unit = 1 KB written, read unit = 4 KB strongly read;
# a write also writes each global secondary index that projects the item, billed alike (DynamoDB Developer Guide,
# "Provisioned throughput considerations for global secondary indexes")
DYNAMODB_WRITE_UNIT_USD = 0.625 / 1_000_000
DYNAMODB_READ_UNIT_USD = 0.125 / 1_000_000
# https://aws.amazon.com/s3/pricing/ : S3 Standard GET requests
S3_GET_USD = 0.0004 / 1_000
# https://aws.amazon.com/api-gateway/pricing/ : HTTP APIs, first 300 million requests a month
HTTP_API_REQUEST_USD = 1.00 / 1_000_000
# https://aws.amazon.com/cloudwatch/pricing/ : log ingestion (first tier, standard log class)
LOG_INGESTION_USD_PER_GB = 0.50

# https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html : at 1,769 MB a function has the
# equivalent of one vCPU; below that, CPU time stretches in proportion.
MB_PER_VCPU = 1769
# Assumptions, not measurements: an in-region SQS or DynamoDB call's round trip as the function waits for it,
# and the bytes of Lambda's own START/END/REPORT lines (with an X-Ray trace id) per invocation.
ASSUMED_AWS_CALL_MS = 8.0
ASSUMED_PLATFORM_LOG_BYTES = 330

SERVERLESS_YML = Path(__file__).resolve().parents[1] / "serverless.yml"
DATA_RESOURCES = SERVERLESS_YML.parent / "resources" / "data.yml"


@dataclass(frozen=True)
class Deployment:
    memory_mb: int
    architecture: str
    batch_size: int
    orders_table_indexes: int  # global secondary indexes, each written with every write of an order


def deployment(path: Path = SERVERLESS_YML, data: Path = DATA_RESOURCES) -> Deployment:
    """Memory, architecture, the processor's batch size (default params) and the orders table's indexes, as
    serverless.yml and resources/data.yml deploy them."""
    config = yaml.safe_load(path.read_text())
    table = yaml.safe_load(data.read_text())["Resources"]["OrdersTable"]["Properties"]
    return Deployment(
        memory_mb=int(config["provider"]["memorySize"]),
        architecture=str(config["provider"]["architecture"]),
        batch_size=int(config["params"]["default"]["processorBatchSize"]),
        orders_table_indexes=len(table.get("GlobalSecondaryIndexes", [])),
    )


def attribute_bytes(value: dict[str, Any]) -> int:
    """Size of one DynamoDB attribute value (AWS's item-size rules; +1 byte per list/map element)."""
    ((kind, content),) = value.items()
    if kind == "S":
        return len(content.encode("utf-8"))
    if kind == "N":
        digits = Decimal(content).normalize().as_tuple().digits
        return math.ceil(len(digits) / 2) + 1
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "L":
        return 3 + sum(attribute_bytes(item) + 1 for item in content)
    if kind == "M":
        return 3 + sum(len(name.encode("utf-8")) + attribute_bytes(item) + 1 for name, item in content.items())
    raise ValueError(f"unsupported attribute type {kind}")


def item_bytes(item: dict[str, dict[str, Any]]) -> int:
    return sum(len(name.encode("utf-8")) + attribute_bytes(value) for name, value in item.items())


def write_units(size_bytes: int) -> int:
    """On-demand write request units for one standard write of an item this size (1 KB each, at least 1)."""
    return max(1, math.ceil(size_bytes / 1024))


def billed_ms(cpu_ms_here: float, aws_calls: float, memory_mb: int) -> int:
    """Billed duration of one invocation: CPU time measured here (one full core) stretched to the function's
    share of a vCPU, plus the assumed wait for each AWS call, rounded up to Lambda's 1 ms."""
    return math.ceil(cpu_ms_here * MB_PER_VCPU / memory_mb + aws_calls * ASSUMED_AWS_CALL_MS)


@dataclass(frozen=True)
class PerOrder:
    """What accepting, processing and storing one order uses, on average."""

    http_api_requests: float
    lambda_invocations: float
    lambda_gb_seconds: float
    sqs_requests: float
    dynamodb_write_units: float
    dynamodb_read_units: float
    s3_gets: float
    log_bytes: float


def dollars_per_million_orders(usage: PerOrder, architecture: str) -> dict[str, float]:
    lines = {
        "API Gateway HTTP API requests": usage.http_api_requests * HTTP_API_REQUEST_USD,
        "Lambda requests": usage.lambda_invocations * LAMBDA_REQUEST_USD,
        "Lambda duration (GB-s)": usage.lambda_gb_seconds * LAMBDA_GB_SECOND_USD[architecture],
        "SQS requests": usage.sqs_requests * SQS_REQUEST_USD,
        "DynamoDB write units": usage.dynamodb_write_units * DYNAMODB_WRITE_UNIT_USD,
        "DynamoDB read units": usage.dynamodb_read_units * DYNAMODB_READ_UNIT_USD,
        "S3 GETs": usage.s3_gets * S3_GET_USD,
        "CloudWatch Logs ingestion": usage.log_bytes / 1024**3 * LOG_INGESTION_USD_PER_GB,
    }
    per_million = {name: usd * 1_000_000 for name, usd in lines.items()}
    per_million["total"] = sum(per_million.values())
    return per_million
