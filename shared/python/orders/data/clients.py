"""boto3 clients, created on first use and reused for the life of the container.

The endpoint and region come from the standard AWS_ENDPOINT_URL and AWS_DEFAULT_REGION variables (Lambda
sets the region; `make dev` sets both), so the same code talks to AWS in Lambda and to moto server locally.
Every client keeps its calls within the invocation's deadline (`orders.data.deadline`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

from orders.data.deadline import call_deadline


@cache
def aws_client(service_name: str) -> Any:
    timeouts = call_deadline.attempt_timeouts()
    client = boto3.client(
        service_name,
        config=Config(
            connect_timeout=timeouts.connect_seconds,
            read_timeout=timeouts.read_seconds,
            # 3 attempts in all: the retry delays stay within the deadline's margin (deadline.py).
            retries={"mode": "standard", "total_max_attempts": 3},
        ),
    )
    call_deadline.guard(client, timeouts)
    return client
