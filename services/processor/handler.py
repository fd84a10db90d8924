"""The processor Lambda: consumes order messages from SQS in batches and stores priced orders.

Each record succeeds or fails on its own; failed ones are reported in `batchItemFailures`, retried by SQS
and moved to the dead-letter queue after the queue's maxReceiveCount.
"""

from __future__ import annotations

# ruff: noqa: E402 - the imports below come after pausing the garbage collector, on purpose.
from orders.cold_start import pause_collector, paused_through_first_event

pause_collector()

from dataclasses import dataclass
from functools import cache
from typing import Any

# Import order matters for cold start: this must run before anything imports pydantic. Powertools'
# batch/types.py imports all its parser event models (+35 ms measured) when it finds pydantic already in
# sys.modules; imported first, it skips them. isort keeps it first (`orders` imports pydantic, and sorts after).
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from orders.config import get_settings
from orders.data.catalog_store import CatalogStore
from orders.data.clients import aws_client
from orders.data.deadline import call_deadline
from orders.data.order_table import OrderTable
from orders.models import OrderMessage
from orders.observability import MetricUnit, logger, metrics
from services.processor.fulfilment import Outcome, fulfil_order

# A batch whose every record failed is still answered with batchItemFailures rather than an exception:
# SQS retries the same records either way, and a raising handler crashes serverless-offline's runner.
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)

_OUTCOME_METRICS = {
    Outcome.CONFIRMED: "OrdersConfirmed",
    Outcome.REJECTED: "OrdersRejected",
    Outcome.DUPLICATE: "DuplicateDeliveries",
    Outcome.CANCELLED: "CancelledBeforePricing",
}


@dataclass(frozen=True)
class Dependencies:
    catalog: CatalogStore
    orders: OrderTable


@cache
def dependencies() -> Dependencies:
    settings = get_settings()
    return Dependencies(
        catalog=CatalogStore(
            aws_client("s3"),
            settings.catalog_bucket_name,
            settings.catalog_object_key,
            settings.catalog_cache_seconds,
        ),
        orders=OrderTable(aws_client("dynamodb"), settings.orders_table_name, settings.orders_customer_index_name),
    )


def handle_record(record: SQSRecord) -> None:
    """Raise to fail this record only; a malformed message keeps failing until it reaches the DLQ."""
    # Per-record log context; None values are left out of log lines, so no key leaks between records.
    logger.append_keys(message_id=record.message_id, order_id=None)
    logger.set_correlation_id(None)
    try:
        message = OrderMessage.model_validate_json(record.body)
        logger.set_correlation_id(message.correlation_id)
        logger.append_keys(order_id=message.order_id)
        deps = dependencies()
        outcome = fulfil_order(message, deps.catalog, deps.orders)
    except Exception:
        logger.exception("record failed: SQS retries it, then moves it to the dead-letter queue")
        metrics.add_metric(name="RecordsFailed", unit=MetricUnit.Count, value=1)
        raise
    logger.info("order processed", extra={"outcome": outcome.value})
    metrics.add_metric(name=_OUTCOME_METRICS[outcome], unit=MetricUnit.Count, value=1)


@paused_through_first_event  # the end of initialisation: see pause_collector() at the top
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    # A hanging dependency fails the records left, reported before Lambda's timeout would retry them all.
    with call_deadline.within(context):
        return process_partial_response(event=event, record_handler=handle_record, processor=processor, context=context)
