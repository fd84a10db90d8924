"""Runtime configuration, read from the environment that serverless.yml sets, in one place."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from functools import cache


class MissingConfigurationError(RuntimeError):
    """A required environment variable is not set: the deployment is broken, not the request."""


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise MissingConfigurationError(f"environment variable {name} is not set")
    return value


@dataclass(frozen=True)
class Settings:
    orders_table_name: str
    # The orders table's index on (customerId, createdAt), for listing one customer's orders.
    orders_customer_index_name: str
    order_queue_name: str
    catalog_bucket_name: str
    catalog_object_key: str
    catalog_cache_seconds: int
    # The namespace of order ids named by an Idempotency-Key (ordering.order_id_for_key): the stack's UUID.
    order_id_namespace: uuid.UUID


@cache
def get_settings() -> Settings:
    """Read once per container; called lazily so that importing a handler never needs AWS settings."""
    return Settings(
        orders_table_name=_required("ORDERS_TABLE_NAME"),
        orders_customer_index_name=_required("ORDERS_CUSTOMER_INDEX_NAME"),
        order_queue_name=_required("ORDER_QUEUE_NAME"),
        catalog_bucket_name=_required("CATALOG_BUCKET_NAME"),
        catalog_object_key=_required("CATALOG_OBJECT_KEY"),
        catalog_cache_seconds=int(os.environ.get("CATALOG_CACHE_SECONDS", "300")),
        order_id_namespace=uuid.UUID(_required("ORDER_ID_NAMESPACE")),
    )
