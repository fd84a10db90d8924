"""Baseline for the processor: store each SQS record once, with the one client it needs (DynamoDB)."""

from __future__ import annotations

import json
import os
from typing import Any

import boto3

dynamodb = boto3.client("dynamodb")
TABLE_NAME = os.environ["ORDERS_TABLE_NAME"]


def handler(event: dict[str, Any], _context: object) -> dict[str, Any]:
    for record in event["Records"]:
        order = json.loads(record["body"])
        dynamodb.put_item(
            TableName=TABLE_NAME,
            Item={"orderId": {"S": order["orderId"]}, "order": {"S": record["body"]}},
            ConditionExpression="attribute_not_exists(orderId)",
        )
    return {"batchItemFailures": []}
