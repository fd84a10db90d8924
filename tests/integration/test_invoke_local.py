"""Both functions run through `sls invoke local` with the sample events in events/, against moto server
with the resources created from the packaged template (as `make dev` does)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from scripts.local_aws import create_data_stack, moto_client, upload_file
from scripts.processes import REPO_ROOT, aws_environment, moto_server, sls

STAGE = "local"
REGION = "eu-west-1"
SAMPLE_ORDER_ID = "11111111-2222-4333-8444-555555555555"
SAMPLE_REJECTED_ID = "66666666-7777-4888-8999-000000000000"


@pytest.fixture(scope="module")
def local_aws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    output = tmp_path_factory.mktemp("package")
    with moto_server() as endpoint:
        env = aws_environment(endpoint)
        sls(["package", "--stage", STAGE, "--package", str(output)], env)
        template = output / "cloudformation-template-update-stack.json"
        created = create_data_stack(endpoint, REGION, template, f"orders-{STAGE}")
        upload_file(
            moto_client("s3", endpoint, REGION),
            created["FrontendBucket"],
            "catalog/products.json",
            REPO_ROOT / "frontend" / "catalog" / "products.json",
            "application/json",
        )
        yield {**env, "PYTHONPATH": str(REPO_ROOT / "shared" / "python")}


def invoke(function: str, event_file: str, env: dict[str, str]) -> dict[str, Any]:
    result = sls(["invoke", "local", "--stage", STAGE, "-f", function, "-p", f"events/{event_file}"], env)
    # The handler's answer is the last JSON document osls prints, after the function's log lines.
    start = result.stdout.rindex("\n{\n") + 1 if "\n{\n" in result.stdout else result.stdout.index("{")
    return json.loads(result.stdout[start:])


def test_resources_come_from_the_packaged_template(local_aws):
    client = moto_client("sqs", local_aws["AWS_ENDPOINT_URL"], REGION)
    url = client.get_queue_url(QueueName=f"orders-{STAGE}-orders")["QueueUrl"]
    redrive = json.loads(
        client.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])["Attributes"]["RedrivePolicy"]
    )
    assert redrive["deadLetterTargetArn"].endswith(f"orders-{STAGE}-orders-dlq")
    assert int(redrive["maxReceiveCount"]) == 5


def test_api_and_processor_run_with_the_sample_events(local_aws):
    posted = invoke("api", "api-post-order.json", local_aws)
    assert posted["statusCode"] == 202
    assert json.loads(posted["body"])["status"] == "PENDING"

    processed = invoke("processor", "processor-sqs-batch.json", local_aws)
    assert processed == {"batchItemFailures": []}

    fetched = invoke("api", "api-get-order.json", local_aws)
    assert fetched["statusCode"] == 200
    order = json.loads(fetched["body"])
    assert order["orderId"] == SAMPLE_ORDER_ID
    assert order["status"] == "CONFIRMED"
    assert order["totalCents"] == 2 * 2490 + 1400

    dynamodb = moto_client("dynamodb", local_aws["AWS_ENDPOINT_URL"], REGION)
    rejected = dynamodb.get_item(TableName=f"orders-{STAGE}-orders", Key={"orderId": {"S": SAMPLE_REJECTED_ID}})
    assert rejected["Item"]["status"]["S"] == "REJECTED"


def test_the_queued_sample_order_is_on_the_local_queue(local_aws):
    client = moto_client("sqs", local_aws["AWS_ENDPOINT_URL"], REGION)
    url = client.get_queue_url(QueueName=f"orders-{STAGE}-orders")["QueueUrl"]
    attributes = client.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    assert int(attributes["Attributes"]["ApproximateNumberOfMessages"]) >= 1
