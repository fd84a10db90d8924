"""Reading the packaged CloudFormation in tests: resources by type, policy statements, intrinsic functions."""

from __future__ import annotations

import re
from typing import Any

# Where each resource type keeps its policy documents.
POLICY_DOCUMENTS = {
    "AWS::S3::BucketPolicy": lambda properties: [properties["PolicyDocument"]],
    "AWS::SNS::TopicPolicy": lambda properties: [properties["PolicyDocument"]],
    "AWS::IAM::Role": lambda properties: [policy["PolicyDocument"] for policy in properties.get("Policies", [])],
}


def resources_of(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {name: value for name, value in template["Resources"].items() if value["Type"] == resource_type}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def role_statements(template: dict[str, Any], role: str) -> list[dict[str, Any]]:
    policies = template["Resources"][role]["Properties"]["Policies"]
    return [statement for policy in policies for statement in policy["PolicyDocument"]["Statement"]]


def all_statements(template: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(logical id, statement) of every policy document in the template: roles, bucket and topic policies."""
    found = []
    for name, resource in template["Resources"].items():
        documents = POLICY_DOCUMENTS.get(resource["Type"], lambda _: [])(resource["Properties"])
        found += [(name, statement) for document in documents for statement in document["Statement"]]
    return found


def bucket_policy_of(template: dict[str, Any], bucket: str) -> list[dict[str, Any]]:
    (policy,) = [
        resource["Properties"]["PolicyDocument"]["Statement"]
        for resource in resources_of(template, "AWS::S3::BucketPolicy").values()
        if resource["Properties"]["Bucket"] == {"Ref": bucket}
    ]
    return policy


def render_sub(value: dict[str, Any], names: dict[str, str] | None = None) -> str:
    """A Fn::Sub string with its ${...} placeholders replaced by `names`, or by `<placeholder>`."""
    template, variables = (value["Fn::Sub"], {}) if isinstance(value["Fn::Sub"], str) else value["Fn::Sub"]
    lookup = {**variables, **(names or {})}
    return re.sub(r"\$\{([^}]+)\}", lambda match: str(lookup.get(match[1], f"<{match[1]}>")), template)
