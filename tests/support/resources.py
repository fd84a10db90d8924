"""Create the data resources for moto-backed tests from the same definitions serverless.yml deploys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DATA_RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "data.yml"


def template_resources() -> dict[str, Any]:
    return yaml.safe_load(DATA_RESOURCES.read_text())["Resources"]


def create_table(client: Any, logical_id: str, table_name: str) -> None:
    """Key schema, attributes, billing and TTL come from the template; only the name is the test's."""
    properties = template_resources()[logical_id]["Properties"]
    client.create_table(
        TableName=table_name,
        KeySchema=properties["KeySchema"],
        AttributeDefinitions=properties["AttributeDefinitions"],
        BillingMode=properties["BillingMode"],
    )
    ttl = properties.get("TimeToLiveSpecification")
    if ttl:
        client.update_time_to_live(TableName=table_name, TimeToLiveSpecification=ttl)
