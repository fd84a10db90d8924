"""boto3 clients, created on first use and reused for the life of the container.

The endpoint and region come from the standard AWS_ENDPOINT_URL and AWS_DEFAULT_REGION variables (Lambda
sets the region; `make dev` sets both), so the same code talks to AWS in Lambda and to moto server locally.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

# Lambda functions are short-lived: fail fast and let SQS or the client retry, rather than hang.
_CLIENT_CONFIG = Config(
    connect_timeout=2,
    read_timeout=5,
    retries={"mode": "standard", "max_attempts": 3},
)


@cache
def aws_client(service_name: str) -> Any:
    return boto3.client(service_name, config=_CLIENT_CONFIG)
