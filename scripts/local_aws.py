"""Create the stack's data resources in moto server from the packaged CloudFormation template.

The table, queues and bucket are made from the very template `sls deploy` would use, so local names,
keys and the redrive policy cannot drift from AWS. Functions and event source mappings are left out:
moto would try to run the functions in Docker on every SendMessage.

Usage: python scripts/local_aws.py ENDPOINT_URL REGION TEMPLATE.json STACK_NAME
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import boto3
from boto3.dynamodb.types import Binary, TypeDeserializer

DATA_RESOURCE_TYPES = {"AWS::DynamoDB::Table", "AWS::SQS::Queue", "AWS::S3::Bucket", "AWS::SNS::Topic"}
# osls's own bucket for deployment artifacts: not part of the application.
DEPLOYMENT_BUCKET = "ServerlessDeploymentBucket"


def data_resources(template: dict[str, Any]) -> dict[str, Any]:
    resources = {
        name: resource
        for name, resource in template["Resources"].items()
        if resource["Type"] in DATA_RESOURCE_TYPES and name != DEPLOYMENT_BUCKET
    }
    # No Outputs: those naming resources moto skips make its DescribeStacks fail.
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}


def moto_client(service_name: str, endpoint_url: str, region: str) -> Any:
    """A client for moto server, which accepts any credentials: never one that could reach AWS."""
    return boto3.client(
        service_name,
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id="moto",
        aws_secret_access_key="moto",  # noqa: S106 - moto ignores credentials
    )


def create_data_stack(endpoint_url: str, region: str, template_file: Path, stack_name: str) -> dict[str, str]:
    """Create (or replace) the stack; returns logical id -> physical name of what was created."""
    cloudformation = moto_client("cloudformation", endpoint_url, region)
    existing = [stack["StackName"] for stack in cloudformation.describe_stacks().get("Stacks", [])]
    if stack_name in existing:
        cloudformation.delete_stack(StackName=stack_name)
    body = json.dumps(data_resources(json.loads(template_file.read_text())))
    cloudformation.create_stack(StackName=stack_name, TemplateBody=body)
    summaries = cloudformation.list_stack_resources(StackName=stack_name)["StackResourceSummaries"]
    return {summary["LogicalResourceId"]: summary["PhysicalResourceId"] for summary in summaries}


def plain_item(item: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A DynamoDB item (as the low-level client returns it) as plain Python values, all the way down.

    For printing as JSON and comparing local data: numbers are ints when integral, floats otherwise; sets are
    sorted lists; binary values are bytes.
    """
    deserializer = TypeDeserializer()
    return {name: _plain(deserializer.deserialize(value)) for name, value in item.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Binary):
        return bytes(value)
    if isinstance(value, dict):
        return {key: _plain(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_plain(inner) for inner in value]
    if isinstance(value, set):
        return sorted(_plain(inner) for inner in value)
    return value


def upload_file(s3: Any, bucket: str, key: str, source: Path, content_type: str) -> None:
    s3.put_object(Bucket=bucket, Key=key, Body=source.read_bytes(), ContentType=content_type)


def main() -> None:
    endpoint_url, region, template_file, stack_name = sys.argv[1], sys.argv[2], Path(sys.argv[3]), sys.argv[4]
    for logical_id, physical_id in create_data_stack(endpoint_url, region, template_file, stack_name).items():
        print(f"{logical_id}: {physical_id}")


if __name__ == "__main__":
    main()
