"""Properties of the CloudFormation that `sls package` generates for dev and prod: functions, roles, data."""

from __future__ import annotations

import sys
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.support.resources import stage_param
from tests.template.cfn import all_statements, as_list, resources_of, role_statements

FUNCTIONS = {"ApiLambdaFunction": "ApiRole", "ProcessorLambdaFunction": "ProcessorRole"}


def granted(template: dict[str, Any], role: str) -> dict[str, set[str]]:
    """action -> logical ids (or '*') of the resources it is granted on"""
    grants: dict[str, set[str]] = {}
    for statement in role_statements(template, role):
        assert statement["Effect"] == "Allow"
        for action in statement["Action"]:
            grants.setdefault(action, set()).update(
                _resource_name(resource) for resource in as_list(statement["Resource"])
            )
    return grants


def _resource_name(resource: Any) -> str:
    if resource == "*":
        return "*"
    if "Fn::GetAtt" in resource:
        return str(resource["Fn::GetAtt"][0])
    if "Fn::Join" in resource:  # an ARN and what follows it: a bucket's object key, a table's index
        separator, parts = resource["Fn::Join"]
        return str(separator.join(_resource_name(part) if isinstance(part, dict) else part for part in parts))
    raise AssertionError(f"unexpected resource form {resource}")


@pytest.fixture(params=["dev", "prod"])
def template(request: pytest.FixtureRequest, templates: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return templates[request.param]


def test_each_function_has_its_own_role(template):
    functions = resources_of(template, "AWS::Lambda::Function")
    assert set(functions) == set(FUNCTIONS)
    for function, role in FUNCTIONS.items():
        assert functions[function]["Properties"]["Role"] == {"Fn::GetAtt": [role, "Arn"]}
    assert set(resources_of(template, "AWS::IAM::Role")) == set(FUNCTIONS.values())
    assert "IamRoleLambdaExecution" not in template["Resources"]
    for role in FUNCTIONS.values():
        properties = template["Resources"][role]["Properties"]
        (trust,) = properties["AssumeRolePolicyDocument"]["Statement"]
        assert trust["Principal"] == {"Service": "lambda.amazonaws.com"}
        assert "ManagedPolicyArns" not in properties  # every permission is visible in the template


def test_no_statement_allows_a_wildcard_action(template):
    # Roles, bucket policies and topic policies alike; a TLS-only Deny of s3:* is the one wildcard allowed.
    statements = all_statements(template)
    assert len(statements) > 10
    for owner, statement in statements:
        if statement["Effect"] == "Allow":
            assert all("*" not in action for action in as_list(statement["Action"])), (owner, statement)
            assert statement.get("Principal") != "*", (owner, statement)


def test_wildcard_resources_only_for_tracing(template):
    for role in FUNCTIONS.values():
        for statement in role_statements(template, role):
            if statement["Resource"] == "*":
                assert set(statement["Action"]) == {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}


def test_api_role_is_least_privilege(template):
    assert granted(template, "ApiRole") == {
        "logs:CreateLogStream": {"ApiLogGroup"},
        "logs:PutLogEvents": {"ApiLogGroup"},
        "sqs:GetQueueUrl": {"OrderQueue"},
        "sqs:SendMessage": {"OrderQueue"},
        "dynamodb:GetItem": {"OrdersTable"},
        "dynamodb:PutItem": {"OrdersTable"},
        "dynamodb:UpdateItem": {"OrdersTable"},
        "dynamodb:Query": {"OrdersTable/index/byCustomer"},  # GET /orders: the index alone, never the table
        "xray:PutTraceSegments": {"*"},
        "xray:PutTelemetryRecords": {"*"},
    }


def test_processor_role_is_least_privilege(template):
    assert granted(template, "ProcessorRole") == {
        "logs:CreateLogStream": {"ProcessorLogGroup"},
        "logs:PutLogEvents": {"ProcessorLogGroup"},
        "sqs:ReceiveMessage": {"OrderQueue"},
        "sqs:DeleteMessage": {"OrderQueue"},
        "sqs:GetQueueAttributes": {"OrderQueue"},
        "dynamodb:PutItem": {"OrdersTable"},
        "s3:GetObject": {"FrontendBucket/catalog/products.json"},
        "xray:PutTraceSegments": {"*"},
        "xray:PutTelemetryRecords": {"*"},
    }


def test_functions_trace_run_on_arm64_with_the_local_python(template):
    local_runtime = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for function in FUNCTIONS:
        properties = template["Resources"][function]["Properties"]
        assert properties["Runtime"] == local_runtime
        assert properties["Architectures"] == ["arm64"]
        assert properties["TracingConfig"] == {"Mode": "Active"}
        assert properties["Layers"] == [{"Ref": "SharedLambdaLayer"}, {"Ref": "PythonRequirementsLambdaLayer"}]


# The stack's own UUID (arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>), made by CloudFormation.
STACK_UUID = {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}


def test_environment_holds_plain_names_only(template):
    # Refs and GetAtts in `environment` arrive as "[object Object]" under serverless-offline. The one
    # exception, the order-id namespace, is a plain UUID in the local stage, the only one offline runs.
    for function in FUNCTIONS:
        variables = dict(template["Resources"][function]["Properties"]["Environment"]["Variables"])
        assert variables.pop("ORDER_ID_NAMESPACE") == STACK_UUID
        assert all(isinstance(value, str) and value for value in variables.values()), variables
        assert {"ORDERS_TABLE_NAME", "ORDER_QUEUE_NAME", "CATALOG_BUCKET_NAME"} <= set(variables)


def test_the_local_stage_names_its_order_id_namespace_as_a_plain_uuid():
    local = stage_param("local", "orderIdNamespace")
    assert str(uuid.UUID(local)) == local


def test_sqs_event_reports_partial_batch_failures(templates):
    for stage, batch_size in (("dev", 10), ("prod", 10)):
        (mapping,) = resources_of(templates[stage], "AWS::Lambda::EventSourceMapping").values()
        properties = mapping["Properties"]
        assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert properties["EventSourceArn"] == {"Fn::GetAtt": ["OrderQueue", "Arn"]}
        assert properties["BatchSize"] == batch_size
        assert properties["ScalingConfig"]["MaximumConcurrency"] >= 2


def test_concurrency_is_capped_per_stage_to_protect_downstream(templates):
    for stage, processor_cap, api_cap in (("dev", 10, 20), ("prod", 50, 200)):
        resources = templates[stage]["Resources"]
        (mapping,) = resources_of(templates[stage], "AWS::Lambda::EventSourceMapping").values()
        # The queue feeds at most `processor_cap` invocations, and exactly that many are reserved for them:
        # a backlog waits in SQS rather than throttling DynamoDB, and no message is throttled by Lambda.
        assert mapping["Properties"]["ScalingConfig"]["MaximumConcurrency"] == processor_cap
        assert resources["ProcessorLambdaFunction"]["Properties"]["ReservedConcurrentExecutions"] == processor_cap
        assert resources["ApiLambdaFunction"]["Properties"]["ReservedConcurrentExecutions"] == api_cap


def test_a_customers_orders_are_listed_from_an_index_newest_first(template):
    properties = template["Resources"]["OrdersTable"]["Properties"]
    (index,) = properties["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "byCustomer"
    assert index["KeySchema"] == [
        {"AttributeName": "customerId", "KeyType": "HASH"},
        {"AttributeName": "createdAt", "KeyType": "RANGE"},
    ]
    assert index["Projection"] == {"ProjectionType": "ALL"}  # a page needs no read of the table
    api = template["Resources"]["ApiLambdaFunction"]["Properties"]["Environment"]["Variables"]
    assert api["ORDERS_CUSTOMER_INDEX_NAME"] == index["IndexName"]


def test_tables_are_encrypted_and_recoverable(template):
    (table,) = resources_of(template, "AWS::DynamoDB::Table")  # the orders table holds idempotency too
    properties = template["Resources"][table]["Properties"]
    assert properties["SSESpecification"] == {"SSEEnabled": True}
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["BillingMode"] == "PAY_PER_REQUEST"


def test_prod_orders_survive_deletion_and_dev_can_be_torn_down(templates):
    prod, dev = templates["prod"]["Resources"]["OrdersTable"], templates["dev"]["Resources"]["OrdersTable"]
    assert prod["DeletionPolicy"] == prod["UpdateReplacePolicy"] == "Retain"
    assert prod["Properties"]["DeletionProtectionEnabled"] is True
    assert dev["DeletionPolicy"] == "Delete"
    assert dev["Properties"]["DeletionProtectionEnabled"] is False


def test_queues_are_encrypted_with_a_redrive_to_the_dead_letter_queue(template):
    queue = template["Resources"]["OrderQueue"]["Properties"]
    dead_letters = template["Resources"]["DeadLetterQueue"]["Properties"]
    assert queue["SqsManagedSseEnabled"] is True
    assert dead_letters["SqsManagedSseEnabled"] is True
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": ["DeadLetterQueue", "Arn"]},
        "maxReceiveCount": 5,
    }
    assert dead_letters["MessageRetentionPeriod"] > queue["MessageRetentionPeriod"]


def test_visibility_timeout_follows_aws_guidance(template):
    processor_timeout = template["Resources"]["ProcessorLambdaFunction"]["Properties"]["Timeout"]
    (mapping,) = resources_of(template, "AWS::Lambda::EventSourceMapping").values()
    window = mapping["Properties"].get("MaximumBatchingWindowInSeconds", 0)
    assert template["Resources"]["OrderQueue"]["Properties"]["VisibilityTimeout"] >= 6 * processor_timeout + window


def test_log_retention_is_set_per_stage(templates):
    for stage, days in (("dev", 14), ("prod", 90)):
        for group in resources_of(templates[stage], "AWS::Logs::LogGroup").values():
            assert group["Properties"]["RetentionInDays"] == days


def names_in(archive: Path) -> list[str]:
    with zipfile.ZipFile(archive) as zipped:
        return zipped.namelist()


def test_function_packages_hold_only_their_own_code(packaged):
    api, processor = names_in(packaged["dev"] / "api.zip"), names_in(packaged["dev"] / "processor.zip")
    assert "services/api/handler.py" in api
    assert "services/processor/handler.py" in processor
    for names, other in ((api, "services/processor/"), (processor, "services/api/")):
        assert not [name for name in names if name.startswith((other, "tests/", "shared/", "node_modules/"))]
        # Their __pycache__ holds the bytecode compiled at package time alone (test_artifacts.py), never the work
        # tree's: one .pyc per .py packaged.
        compiled = [name for name in names if "__pycache__" in name]
        assert len(compiled) == len([name for name in names if name.endswith(".py")])


def test_no_package_holds_a_plugin_such_as_the_local_authorizer(packaged):
    # plugins/offline-cognito-authorizer.cjs trusts moto's published signing key: it must never reach AWS.
    archives = [archive for folder in packaged.values() for archive in folder.glob("*.zip")]
    assert len(archives) >= 4 * len(packaged), archives  # api, processor and both layers, per packaging
    for archive in archives:
        names = names_in(archive)
        assert not [name for name in names if name.startswith("plugins/") or name.endswith((".js", ".cjs"))], archive


def test_shared_layer_holds_the_orders_package(packaged):
    names = names_in(packaged["dev"] / "shared.zip")
    assert "python/orders/models.py" in names
    assert all(name.startswith("python/") for name in names)


def test_dependency_layer_is_built_for_lambda_arm64_without_boto3(packaged):
    names = names_in(packaged["dev"] / "pythonRequirements.zip")
    native = [name for name in names if name.endswith(".so")]
    assert native, "pydantic-core ships a compiled extension"
    assert all("aarch64" in name for name in native), native
    assert any(name.startswith("python/aws_lambda_powertools/") for name in names)
    assert not [name for name in names if name.startswith(("python/boto3/", "python/botocore/"))]
    # Swagger UI's assets are left out (the API never serves Swagger UI); its Python modules stay importable.
    assert not [name for name in names if "/swagger_ui/" in name and name.endswith((".js", ".css"))]
    assert "python/aws_lambda_powertools/event_handler/openapi/swagger_ui/html.py" in names
