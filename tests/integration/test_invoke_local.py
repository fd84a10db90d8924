"""Both functions run through `sls invoke local` with the sample events in events/, against moto server
with the resources created from the packaged template (as `make dev` does)."""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator
from typing import Any

import pytest

from scripts.local_aws import create_data_stack, moto_client, upload_file
from scripts.processes import REPO_ROOT, aws_environment, moto_server, sls

STAGE = "local"
REGION = "eu-west-1"
SAMPLE_ORDER_ID = "11111111-2222-4333-8444-555555555555"
SAMPLE_REJECTED_ID = "66666666-7777-4888-8999-000000000000"
README = REPO_ROOT / "README.md"


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


def invoke(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    result = sls(args, env)
    # The handler's answer is the last indented JSON document osls prints, after the function's log lines
    # and before any warning printed at exit (Powertools warns of a 404 that published no metric).
    start = result.stdout.rindex("\n{\n") + 1 if "\n{\n" in result.stdout else result.stdout.index("{")
    answer, _ = json.JSONDecoder().raw_decode(result.stdout, start)
    return dict(answer)


def readme_invocations() -> list[list[str]]:
    """The `npx sls invoke local` commands of README's "Invoking a function locally", as sls arguments, in order."""
    section = README.read_text().split("## Invoking a function locally", 1)[1].split("\n## ", 1)[0]
    commands = [shlex.split(line) for line in section.splitlines() if line.startswith("npx sls invoke local ")]
    return [command[2:] for command in commands]


def option(args: list[str], name: str) -> str:
    return args[args.index(name) + 1]


def test_resources_come_from_the_packaged_template(local_aws):
    client = moto_client("sqs", local_aws["AWS_ENDPOINT_URL"], REGION)
    url = client.get_queue_url(QueueName=f"orders-{STAGE}-orders")["QueueUrl"]
    redrive = json.loads(
        client.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])["Attributes"]["RedrivePolicy"]
    )
    assert redrive["deadLetterTargetArn"].endswith(f"orders-{STAGE}-orders-dlq")
    assert int(redrive["maxReceiveCount"]) == 5


def test_the_get_sample_reads_the_order_the_processor_sample_stores():
    get_event = json.loads((REPO_ROOT / "events" / "api-get-order.json").read_text())
    batch = json.loads((REPO_ROOT / "events" / "processor-sqs-batch.json").read_text())
    stored = [json.loads(record["body"])["orderId"] for record in batch["Records"]]
    assert get_event["pathParameters"]["orderId"] == SAMPLE_ORDER_ID == stored[0]


def test_the_readme_commands_run_in_their_order_with_the_sample_events(local_aws):
    # Exactly the README's three commands, in the README's order: a GET listed before the processor sample
    # that stores its order would answer 404.
    invocations = readme_invocations()
    assert sorted((option(args, "-f"), option(args, "-p")) for args in invocations) == [
        ("api", "events/api-get-order.json"),
        ("api", "events/api-post-order.json"),
        ("processor", "events/processor-sqs-batch.json"),
    ]
    answers = {option(args, "-p"): invoke(args, local_aws) for args in invocations}

    posted = answers["events/api-post-order.json"]
    assert posted["statusCode"] == 202
    assert json.loads(posted["body"])["status"] == "PENDING"

    assert answers["events/processor-sqs-batch.json"] == {"batchItemFailures": []}

    fetched = answers["events/api-get-order.json"]
    assert fetched["statusCode"] == 200, fetched
    order = json.loads(fetched["body"])
    assert order["orderId"] == SAMPLE_ORDER_ID
    assert order["status"] == "CONFIRMED"
    assert order["totalCents"] == 2 * 2490 + 1400

    dynamodb = moto_client("dynamodb", local_aws["AWS_ENDPOINT_URL"], REGION)
    rejected = dynamodb.get_item(TableName=f"orders-{STAGE}-orders", Key={"orderId": {"S": SAMPLE_REJECTED_ID}})
    assert rejected["Item"]["status"]["S"] == "REJECTED"

    # The POST sample's order waits on the local queue (checked here: a test of its own could run first).
    sqs = moto_client("sqs", local_aws["AWS_ENDPOINT_URL"], REGION)
    url = sqs.get_queue_url(QueueName=f"orders-{STAGE}-orders")["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    assert int(attributes["Attributes"]["ApproximateNumberOfMessages"]) >= 1
