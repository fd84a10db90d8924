"""Reading the packaged CloudFormation in tests: resources by type, policy statements, intrinsic functions."""

from __future__ import annotations

import re
from typing import Any

# Where each resource type keeps its policy documents.
POLICY_DOCUMENTS = {
    "AWS::S3::BucketPolicy": lambda properties: [properties["PolicyDocument"]],
    "AWS::SNS::TopicPolicy": lambda properties: [properties["PolicyDocument"]],
    "AWS::SQS::QueuePolicy": lambda properties: [properties["PolicyDocument"]],
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


def parameter_values(template: dict[str, Any]) -> dict[str, Any]:
    """The template's parameters as a deploy without parameter overrides (osls's) gets them: their defaults."""
    return {name: parameter.get("Default") for name, parameter in template.get("Parameters", {}).items()}


def condition_holds(template: dict[str, Any], condition: str) -> bool:
    """Whether a condition of the template is true with its parameters' defaults."""
    return bool(_evaluate(template, template["Conditions"][condition], parameter_values(template)))


def _evaluate(template: dict[str, Any], expression: Any, values: dict[str, Any]) -> Any:
    if not isinstance(expression, dict):
        return expression
    ((function, argument),) = expression.items()
    if function == "Ref":
        return values[argument]
    if function == "Condition":
        return condition_holds(template, argument)
    if function == "Fn::Not":
        (inner,) = argument
        return not _evaluate(template, inner, values)
    if function == "Fn::Equals":
        left, right = (_evaluate(template, side, values) for side in argument)
        return left == right
    if function == "Fn::And":
        return all(_evaluate(template, inner, values) for inner in argument)
    if function == "Fn::Or":
        return any(_evaluate(template, inner, values) for inner in argument)
    raise AssertionError(f"no evaluation for {function} in a condition")


NO_VALUE = {"Ref": "AWS::NoValue"}


def deployed(template: dict[str, Any], value: Any) -> Any:
    """`value` as CloudFormation would see it with the parameters' defaults: each Fn::If replaced by its branch,
    AWS::NoValue dropped, and Refs to parameters replaced by their values (Fn::Sub is left to `render_sub`)."""
    values = parameter_values(template)
    if isinstance(value, list):
        items = [deployed(template, item) for item in value]
        return [item for item in items if item != NO_VALUE]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Fn::If"}:
        condition, if_true, if_false = value["Fn::If"]
        return deployed(template, if_true if condition_holds(template, condition) else if_false)
    if set(value) == {"Ref"} and value["Ref"] in values:
        return values[value["Ref"]]
    resolved = {key: deployed(template, item) for key, item in value.items()}
    return {key: item for key, item in resolved.items() if item != NO_VALUE}


def referenced_resources(template: dict[str, Any], value: Any) -> set[str]:
    """Logical ids of the resources `value` refers to (Ref, Fn::GetAtt, Fn::Sub), in every Fn::If branch."""
    resources = template["Resources"]
    if isinstance(value, list):
        return set().union(*(referenced_resources(template, item) for item in value))
    if not isinstance(value, dict):
        return set()
    found: set[str] = set()
    for function, argument in value.items():
        if function == "Ref" and argument in resources:
            found.add(argument)
        elif function == "Fn::GetAtt":
            name = argument[0] if isinstance(argument, list) else argument.split(".")[0]
            found.add(name)
        elif function == "Fn::Sub":
            text, variables = (argument, {}) if isinstance(argument, str) else argument
            names = {match.split(".")[0] for match in re.findall(r"\$\{([^!}][^}]*)\}", text)}
            found |= {name for name in names if name in resources and name not in variables}
            found |= referenced_resources(template, variables)
        else:
            found |= referenced_resources(template, argument)
    return found


def dependencies(template: dict[str, Any]) -> dict[str, set[str]]:
    """logical id -> the resources it depends on: its references (properties, metadata; every branch), DependsOn"""
    graph = {}
    for name, resource in template["Resources"].items():
        explicit = set(as_list(resource.get("DependsOn", [])))
        graph[name] = referenced_resources(template, resource) | explicit
    return graph
