"""Context for the processor: the same minimal handler, plus the catalog read our processor prices from
(a second client, S3, and one GetObject per container)."""

from __future__ import annotations

import json
import os
from typing import Any

import boto3

s3 = boto3.client("s3")
dynamodb = boto3.client("dynamodb")
TABLE_NAME = os.environ["ORDERS_TABLE_NAME"]
_catalog: dict[str, Any] = {}


def handler(event: dict[str, Any], _context: object) -> dict[str, Any]:
    if not _catalog:
        body = s3.get_object(Bucket=os.environ["CATALOG_BUCKET_NAME"], Key=os.environ["CATALOG_OBJECT_KEY"])["Body"]
        _catalog.update(json.loads(body.read()))
    for record in event["Records"]:
        order = json.loads(record["body"])
        dynamodb.put_item(
            TableName=TABLE_NAME,
            Item={"orderId": {"S": order["orderId"]}, "order": {"S": record["body"]}},
            ConditionExpression="attribute_not_exists(orderId)",
        )
    return {"batchItemFailures": []}
