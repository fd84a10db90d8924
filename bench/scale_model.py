"""What breaks first between 100 and 10,000 orders per second, and which setting moves it.

A model, not a load test: Little's law and AWS's published quotas (bench/quotas.py), fed with this
project's own settings read from the packaged template and with the durations and per-order requests
measured by `make bench` (bench/results/latest.json). `make scale` prints the table, writes JSON and a chart.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from bench import quotas


@dataclass(frozen=True)
class Settings:
    """What the deployed template says, for the stage the model is run for."""

    api_memory_mb: int
    api_reserved_concurrency: int | None
    processor_memory_mb: int
    processor_reserved_concurrency: int | None
    batch_size: int
    batching_window_seconds: int
    processor_maximum_concurrency: int
    stage_rate_limit: float
    stage_burst_limit: int


def settings_from_template(template: dict[str, Any]) -> Settings:
    resources = template["Resources"]

    def function(name: str) -> dict[str, Any]:
        return dict(resources[name]["Properties"])

    api, processor = function("ApiLambdaFunction"), function("ProcessorLambdaFunction")
    (mapping,) = (r["Properties"] for r in resources.values() if r["Type"] == "AWS::Lambda::EventSourceMapping")
    route_settings = resources["HttpApiStage"]["Properties"]["DefaultRouteSettings"]
    return Settings(
        api_memory_mb=int(api["MemorySize"]),
        api_reserved_concurrency=_optional_int(api.get("ReservedConcurrentExecutions")),
        processor_memory_mb=int(processor["MemorySize"]),
        processor_reserved_concurrency=_optional_int(processor.get("ReservedConcurrentExecutions")),
        batch_size=int(mapping["BatchSize"]),
        batching_window_seconds=int(mapping.get("MaximumBatchingWindowInSeconds", 0)),
        processor_maximum_concurrency=int(
            mapping.get("ScalingConfig", {}).get("MaximumConcurrency", quotas.SQS_MAXIMUM_CONCURRENCY_CEILING)
        ),
        stage_rate_limit=float(route_settings["ThrottlingRateLimit"]),
        stage_burst_limit=int(route_settings["ThrottlingBurstLimit"]),
    )


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


@dataclass(frozen=True)
class Measured:
    """From `make bench`: billed durations and what one order uses, at the template's batch size."""

    api_invocation_ms: float
    processor_batch_ms: float
    dynamodb_write_units_per_order: float
    dynamodb_read_units_per_order: float
    usd_per_million_orders: dict[str, float]


def measured_from_bench(results: dict[str, Any], scenario: str = "with_key") -> Measured:
    costs = results["costs"][scenario]
    usage = costs["usage_per_order"]
    return Measured(
        api_invocation_ms=float(costs["billed_ms"]["api_invocation"]),
        processor_batch_ms=float(costs["billed_ms"]["processor_batch"]),
        dynamodb_write_units_per_order=float(usage["dynamodb_write_units"]),
        dynamodb_read_units_per_order=float(usage["dynamodb_read_units"]),
        usd_per_million_orders={k: float(v) for k, v in costs["usd_per_million_orders"].items()},
    )


def concurrency_needed(arrivals_per_second: float, duration_ms: float) -> float:
    """Little's law: executions in flight = arrival rate x time each one takes."""
    return arrivals_per_second * duration_ms / 1000


def seconds_to_scale_api(concurrency: float) -> int:
    """Synchronous invocations: up to 1,000 more executions every 10 s per function."""
    return math.ceil(concurrency / quotas.LAMBDA_SCALING_STEP) * quotas.LAMBDA_SCALING_STEP_SECONDS


def minutes_to_scale_processor(concurrency: float) -> float:
    """SQS event source: starts with 5 concurrent batches, adds up to 300 per minute."""
    return max(0.0, (concurrency - quotas.SQS_POLLER_START) / quotas.SQS_POLLER_SCALE_PER_MINUTE)


def oldest_message_age_seconds(arrivals: float, drained: float, after_seconds: float) -> float:
    """With a queue filling at `arrivals` and drained at `drained` (< arrivals) per second, the message at
    the head after T seconds arrived at T x drained / arrivals."""
    if drained >= arrivals:
        return 0.0
    return after_seconds * (1 - drained / arrivals)


@dataclass(frozen=True)
class Limit:
    name: str
    ceiling_orders_per_second: float
    setting: str


def limits(settings: Settings, measured: Measured) -> list[Limit]:
    """Every ceiling on orders per second, lowest first, with the setting or quota that moves it."""
    api_seconds = measured.api_invocation_ms / 1000
    batch_seconds = measured.processor_batch_ms / 1000
    processor_cap = min(settings.processor_maximum_concurrency, settings.processor_reserved_concurrency or math.inf)
    writes = measured.dynamodb_write_units_per_order
    found = [
        Limit("HTTP API stage throttle", settings.stage_rate_limit, "params.apiThrottleRateLimit"),
        Limit("HTTP API account throttle", quotas.HTTP_API_ACCOUNT_RATE, "quota increase (API Gateway)"),
        Limit(
            "API Lambda reserved concurrency",
            (settings.api_reserved_concurrency or math.inf) / api_seconds,
            "params.apiReservedConcurrency",
        ),
        Limit(
            "processor maximum concurrency (queue drains slower than it fills)",
            processor_cap * settings.batch_size / batch_seconds,
            "params.processorMaximumConcurrency",
        ),
        Limit(
            "Lambda account concurrency",
            quotas.LAMBDA_ACCOUNT_CONCURRENCY / (api_seconds + batch_seconds / settings.batch_size),
            "quota increase (Lambda concurrent executions)",
        ),
        Limit(
            "DynamoDB on-demand, new table",
            quotas.DYNAMODB_NEW_TABLE_WRITE_UNITS / writes,  # one table takes every write
            "warm throughput on the tables (or a gradual ramp)",
        ),
        Limit(
            "DynamoDB on-demand table maximum",
            quotas.DYNAMODB_TABLE_MAX_WRITE_UNITS / writes,
            "quota increase (DynamoDB table-level throughput)",
        ),
    ]
    return sorted((limit for limit in found if math.isfinite(limit.ceiling_orders_per_second)), key=_ceiling)


def _ceiling(limit: Limit) -> float:
    return limit.ceiling_orders_per_second


def model(rate: float, settings: Settings, measured: Measured, backlog_minutes: float = 10) -> dict[str, Any]:
    """Needs and costs at `rate` (as if every limit were raised), and what today's settings make of it."""
    ordered = limits(settings, measured)
    blocking = [limit for limit in ordered if limit.ceiling_orders_per_second < rate]
    first = blocking[0] if blocking else None
    moved = next((limit for limit in ordered if first and limit.name != first.name), None)
    api_concurrency = concurrency_needed(rate, measured.api_invocation_ms)
    batches_per_second = rate / settings.batch_size
    processor_concurrency = concurrency_needed(batches_per_second, measured.processor_batch_ms)
    processor_cap = min(settings.processor_maximum_concurrency, settings.processor_reserved_concurrency or math.inf)
    # With today's settings: the API stage admits up to its rate limit; the processor drains up to its cap.
    admitted = min(rate, settings.stage_rate_limit, quotas.HTTP_API_ACCOUNT_RATE)
    drained = min(admitted, processor_cap * settings.batch_size * 1000 / measured.processor_batch_ms)
    usd_per_order = {name: usd / 1_000_000 for name, usd in measured.usd_per_million_orders.items()}
    return {
        "orders_per_second": rate,
        "api_concurrency_needed": round(api_concurrency, 1),
        "api_seconds_to_scale": seconds_to_scale_api(api_concurrency),
        "processor_concurrency_needed": round(processor_concurrency, 1),
        "processor_minutes_to_scale": round(minutes_to_scale_processor(processor_concurrency), 1),
        "lambda_invocations_per_second": round(rate + batches_per_second, 1),
        "dynamodb_write_units_per_second": round(rate * measured.dynamodb_write_units_per_order),
        "dynamodb_read_units_per_second": round(rate * measured.dynamodb_read_units_per_order),
        "hot_partition": "none: orderId is a random UUID (or a UUIDv5 of an Idempotency-Key); no key repeats",
        "admitted_per_second_today": admitted,
        "rejected_429_per_second_today": round(rate - admitted, 1),
        "queue_backlog_growth_per_second_today": round(admitted - drained, 1),
        f"oldest_message_age_after_{backlog_minutes:g}_min_seconds_today": round(
            oldest_message_age_seconds(admitted, drained, backlog_minutes * 60)
        ),
        "limits_below_this_rate": [asdict(limit) for limit in blocking],
        "first_limit_hit": asdict(first) if first else None,
        "next_ceiling_once_moved": asdict(moved) if moved else None,
        "usd_per_hour": {name: round(usd * rate * 3600, 2) for name, usd in usd_per_order.items()},
        "usd_per_month": {
            name: round(usd * rate * 3600 * quotas.HOURS_PER_MONTH) for name, usd in usd_per_order.items()
        },
    }
