"""The scale model's arithmetic on hand-computed cases, and its reading of the template."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from bench.scale_model import (
    Measured,
    concurrency_needed,
    limits,
    minutes_to_scale_processor,
    model,
    oldest_message_age_seconds,
    seconds_to_scale_api,
    settings_from_template,
)

TEMPLATE: dict[str, Any] = {
    "Resources": {
        "ApiLambdaFunction": {
            "Type": "AWS::Lambda::Function",
            "Properties": {"MemorySize": 256, "ReservedConcurrentExecutions": 200},
        },
        "ProcessorLambdaFunction": {
            "Type": "AWS::Lambda::Function",
            "Properties": {"MemorySize": 256, "ReservedConcurrentExecutions": 50},
        },
        "Mapping": {
            "Type": "AWS::Lambda::EventSourceMapping",
            "Properties": {
                "BatchSize": 10,
                "MaximumBatchingWindowInSeconds": 1,
                "ScalingConfig": {"MaximumConcurrency": 50},
            },
        },
        "HttpApiStage": {
            "Type": "AWS::ApiGatewayV2::Stage",
            "Properties": {"DefaultRouteSettings": {"ThrottlingRateLimit": 500, "ThrottlingBurstLimit": 1000}},
        },
    }
}
MEASURED = Measured(
    api_invocation_ms=20,
    processor_batch_ms=100,
    dynamodb_write_units_per_order=2,
    dynamodb_read_units_per_order=0,
    usd_per_million_orders={"total": 4.0},
)


def test_littles_law():
    assert concurrency_needed(1_000, 120) == pytest.approx(120)  # 1,000 orders/s x 0.12 s
    assert concurrency_needed(100, 10) == pytest.approx(1)


def test_scaling_times():
    assert seconds_to_scale_api(320) == 10  # one 1,000-execution step
    assert seconds_to_scale_api(1_500) == 20
    assert minutes_to_scale_processor(305) == pytest.approx(1.0)  # 5 to start, +300 a minute
    assert minutes_to_scale_processor(3) == 0


def test_oldest_message_age_when_the_queue_fills_faster_than_it_drains():
    assert oldest_message_age_seconds(arrivals=100, drained=50, after_seconds=600) == pytest.approx(300)
    assert oldest_message_age_seconds(arrivals=100, drained=100, after_seconds=600) == 0


def test_settings_come_from_the_template():
    settings = settings_from_template(TEMPLATE)
    assert (settings.batch_size, settings.processor_maximum_concurrency, settings.stage_rate_limit) == (10, 50, 500)
    assert settings.api_reserved_concurrency == 200


def test_ceilings_by_hand():
    ceilings = {
        limit.name: limit.ceiling_orders_per_second for limit in limits(settings_from_template(TEMPLATE), MEASURED)
    }
    assert ceilings["HTTP API stage throttle"] == 500
    assert ceilings["API Lambda reserved concurrency"] == pytest.approx(200 / 0.020)  # 10,000/s
    assert ceilings["processor maximum concurrency (queue drains slower than it fills)"] == pytest.approx(50 * 10 / 0.1)
    assert ceilings["DynamoDB on-demand, new table"] == pytest.approx(4_000 / 2)  # the orders table: 2 WRU/order


def test_the_first_limit_and_what_moves_it():
    row = model(1_000, settings_from_template(TEMPLATE), MEASURED)
    assert row["first_limit_hit"]["name"] == "HTTP API stage throttle"
    assert row["first_limit_hit"]["setting"] == "params.apiThrottleRateLimit"
    assert row["next_ceiling_once_moved"]["ceiling_orders_per_second"] == pytest.approx(2_000)
    assert row["admitted_per_second_today"] == 500
    assert row["api_concurrency_needed"] == pytest.approx(20)
    assert row["processor_concurrency_needed"] == pytest.approx(10)
    assert row["dynamodb_write_units_per_second"] == 2_000
    assert row["usd_per_hour"]["total"] == pytest.approx(4.0 / 1e6 * 1_000 * 3_600, abs=0.01)


def test_changing_a_template_setting_changes_the_answer():
    raised = copy.deepcopy(TEMPLATE)
    raised["Resources"]["HttpApiStage"]["Properties"]["DefaultRouteSettings"]["ThrottlingRateLimit"] = 5_000
    row = model(1_000, settings_from_template(raised), MEASURED)
    assert row["admitted_per_second_today"] == 1_000
    assert row["first_limit_hit"] is None
    assert model(3_000, settings_from_template(raised), MEASURED)["first_limit_hit"]["name"] == (
        "DynamoDB on-demand, new table"
    )


def test_a_capped_processor_builds_a_backlog():
    capped = copy.deepcopy(TEMPLATE)
    capped["Resources"]["Mapping"]["Properties"]["ScalingConfig"]["MaximumConcurrency"] = 2
    row = model(400, settings_from_template(capped), MEASURED)
    # 2 batches of 10 in flight, 0.1 s each: 200 orders/s drained, 400 arriving
    assert row["queue_backlog_growth_per_second_today"] == pytest.approx(200)
    assert row["oldest_message_age_after_10_min_seconds_today"] == 300
