"""The arithmetic behind docs/performance.md's cost per order: item sizes, write units, billed duration, dollars."""

from __future__ import annotations

import pytest

from bench.pricing import (
    DYNAMODB_WRITE_UNIT_USD,
    HTTP_API_REQUEST_USD,
    LAMBDA_GB_SECOND_USD,
    LAMBDA_REQUEST_USD,
    SQS_REQUEST_USD,
    PerOrder,
    attribute_bytes,
    billed_ms,
    deployment,
    dollars_per_million_orders,
    item_bytes,
    write_units,
)


@pytest.mark.parametrize(
    ("value", "size"),
    [
        ({"S": "abc"}, 3),
        ({"S": "é"}, 2),  # UTF-8 bytes, not characters
        ({"N": "7"}, 2),
        ({"N": "2490"}, 3),  # significant digits 249: ceil(3 / 2) + 1
        ({"N": "-12.50"}, 3),
        ({"BOOL": True}, 1),
        ({"NULL": True}, 1),
        ({"L": []}, 3),
        ({"L": [{"S": "ab"}, {"N": "1"}]}, 3 + (2 + 1) + (2 + 1)),
        ({"M": {"k": {"S": "v"}}}, 3 + 1 + 1 + 1),
    ],
)
def test_attribute_sizes_follow_dynamodb_rules(value, size):
    assert attribute_bytes(value) == size


def test_an_item_counts_its_attribute_names():
    assert item_bytes({"orderId": {"S": "x" * 36}, "totalCents": {"N": "4980"}}) == 7 + 36 + 10 + 3


@pytest.mark.parametrize(("size", "units"), [(0, 1), (390, 1), (1024, 1), (1025, 2), (3000, 3)])
def test_a_write_costs_one_unit_per_started_kilobyte(size, units):
    assert write_units(size) == units


def test_billed_duration_stretches_cpu_time_to_the_memory_share_and_adds_aws_waits():
    assert billed_ms(1.0, 0, 1769) == 1
    assert billed_ms(1.0, 0, 256) == 7  # 1 ms of a full core is 6.9 ms at 256 MB
    assert billed_ms(1.0, 2, 256) == 23  # plus two calls of 8 ms


def test_the_physical_minimum_per_order_in_dollars():
    usage = PerOrder(
        http_api_requests=1,
        lambda_invocations=1.1,
        lambda_gb_seconds=0.01,
        sqs_requests=1.2,
        dynamodb_write_units=1,
        dynamodb_read_units=0,
        s3_gets=0,
        log_bytes=0,
    )

    dollars = dollars_per_million_orders(usage, "arm64")

    assert dollars["SQS requests"] == pytest.approx(1.2 * SQS_REQUEST_USD * 1e6) == pytest.approx(0.48)
    assert dollars["DynamoDB write units"] == pytest.approx(DYNAMODB_WRITE_UNIT_USD * 1e6) == pytest.approx(0.625)
    assert dollars["Lambda requests"] == pytest.approx(1.1 * LAMBDA_REQUEST_USD * 1e6)
    assert dollars["Lambda duration (GB-s)"] == pytest.approx(0.01 * LAMBDA_GB_SECOND_USD["arm64"] * 1e6)
    assert dollars["API Gateway HTTP API requests"] == pytest.approx(HTTP_API_REQUEST_USD * 1e6)
    assert dollars["total"] == pytest.approx(sum(value for name, value in dollars.items() if name != "total"))


def test_memory_architecture_and_batch_size_come_from_the_template(tmp_path):
    template = tmp_path / "serverless.yml"
    template.write_text(
        "params:\n  default:\n    processorBatchSize: 10\n"
        "provider:\n  memorySize: 256\n  architecture: arm64\n  stage: ${opt:stage, 'dev'}\n"
    )
    setup = deployment(template)
    assert (setup.memory_mb, setup.architecture, setup.batch_size) == (256, "arm64", 10)


def test_each_index_of_the_orders_table_is_written_with_every_order_write(tmp_path):
    template = tmp_path / "serverless.yml"
    template.write_text(
        "params:\n  default:\n    processorBatchSize: 1\nprovider:\n  memorySize: 128\n  architecture: arm64\n"
    )
    data = tmp_path / "data.yml"
    index = "{IndexName: a, KeySchema: [], Projection: {ProjectionType: ALL}}"
    data.write_text(f"Resources:\n  OrdersTable:\n    Properties:\n      GlobalSecondaryIndexes: [{index}, {index}]\n")
    assert deployment(template, data).orders_table_indexes == 2
    assert deployment().orders_table_indexes == 1  # byCustomer, the list of a shopper's orders


def test_write_units_per_order_count_the_index_copies():
    from bench.aws_calls import costs

    calls = {
        "without_key": {
            "calls_per_order": {"api: PutItem orders": 1.0, "processor: PutItem orders": 1.0},
            "log_bytes_per_order": 0,
        },
        "largest_item_bytes": {"orders": 465},
    }
    warm = {"botocore": {"api_post": {"median": 10.0}, "processor_record": {"median": 10.0}}}
    result = costs(calls, warm, "without_key")
    assert result["dynamodb_writes_per_order"] == 2
    assert result["usage_per_order"]["dynamodb_write_units"] == 4  # each write: the table and its one index
