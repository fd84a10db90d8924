"""Baseline for the API: the least a POST /orders handler can do, with the one client it needs (SQS)."""

from __future__ import annotations

import json
import os
import uuid
from typing import Any

import boto3

sqs = boto3.client("sqs")
QUEUE_URL = os.environ["BENCH_QUEUE_URL"]


def handler(event: dict[str, Any], _context: object) -> dict[str, Any]:
    order = json.loads(event["body"])
    order_id = str(uuid.uuid4())
    sqs.send_message(QueueUrl=QUEUE_URL, MessageBody=json.dumps({**order, "orderId": order_id}))
    return {"statusCode": 202, "body": json.dumps({"orderId": order_id, "status": "PENDING"})}
