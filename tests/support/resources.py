"""Create the data resources for moto-backed tests from the same definitions serverless.yml deploys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_RESOURCES = REPO_ROOT / "resources" / "data.yml"
SERVERLESS_YML = REPO_ROOT / "serverless.yml"


def template_resources() -> dict[str, Any]:
    return yaml.safe_load(DATA_RESOURCES.read_text())["Resources"]


def create_table(client: Any, logical_id: str, table_name: str) -> None:
    """Key schema, attributes, indexes, billing and TTL come from the template; only the name is the test's."""
    properties = template_resources()[logical_id]["Properties"]
    indexes = [
        {**index, "IndexName": _resolve_name(index["IndexName"])}
        for index in properties.get("GlobalSecondaryIndexes", [])
    ]
    client.create_table(
        TableName=table_name,
        KeySchema=properties["KeySchema"],
        AttributeDefinitions=properties["AttributeDefinitions"],
        BillingMode=properties["BillingMode"],
        **({"GlobalSecondaryIndexes": indexes} if indexes else {}),
    )
    ttl = properties.get("TimeToLiveSpecification")
    if ttl:
        client.update_time_to_live(TableName=table_name, TimeToLiveSpecification=ttl)


def _resolve_name(value: str) -> str:
    """`${self:custom.names.X}` -> serverless.yml's custom.names.X, when that is a plain name (an index's)."""
    prefix = "${self:custom.names."
    if not value.startswith(prefix):
        return value
    name = yaml.safe_load(SERVERLESS_YML.read_text())["custom"]["names"][value[len(prefix) : -1]]
    if "${" in name:
        raise ValueError(f"{value} is not a plain name: {name}")
    return str(name)


def default_param(name: str) -> Any:
    """A value from `params.default` in serverless.yml, e.g. the queue's maxReceiveCount."""
    return stage_param("default", name)


def stage_param(stage: str, name: str) -> Any:
    """A value set under `params.<stage>` in serverless.yml (not merged with the defaults)."""
    text = SERVERLESS_YML.read_text()
    # osls variables (${...}) are not YAML; only the params block is needed, and it parses as plain YAML.
    return yaml.safe_load(text)["params"][stage][name]


def create_queue_with_dead_letters(sqs: Any, queue_name: str, dead_letter_name: str) -> tuple[str, str]:
    """The order queue and its DLQ, with the template's redrive policy; returns both URLs."""
    dead_letter_url = sqs.create_queue(QueueName=dead_letter_name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dead_letter_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    policy = {"deadLetterTargetArn": arn, "maxReceiveCount": int(default_param("maxReceiveCount"))}
    queue_url = sqs.create_queue(QueueName=queue_name, Attributes={"RedrivePolicy": json.dumps(policy)})["QueueUrl"]
    return queue_url, dead_letter_url
