"""Idempotency for both Lambdas.

- The API: a client's `Idempotency-Key` header makes POST /orders answer the same order again instead of
  creating a second one. Powertools' idempotency utility stores the first answer (keyed on the header,
  validated against a hash of the body) in its own DynamoDB table with a TTL.
- The processor: the order id assigned by the API is the natural key; the orders table's conditional
  write (`OrderTable.create`) makes a redelivered message a no-op, at no extra write.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, IdempotencyConfig
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)

# The idempotent payload is {"idempotencyKey": ..., "order": {...}}: the key finds the record and the
# order must match what was stored under it.
IDEMPOTENCY_KEY_FIELD = "idempotencyKey"
IDEMPOTENT_PAYLOAD_FIELD = "order"


def idempotency_config(ttl_seconds: int) -> IdempotencyConfig:
    return IdempotencyConfig(
        event_key_jmespath=IDEMPOTENCY_KEY_FIELD,
        payload_validation_jmespath=IDEMPOTENT_PAYLOAD_FIELD,
        raise_on_no_idempotency_key=False,
        expires_after_seconds=ttl_seconds,
        # Local cache avoids a DynamoDB read when a warm container sees a retry of its own request.
        use_local_cache=True,
    )


def idempotency_store(client: Any, table_name: str) -> DynamoDBPersistenceLayer:
    return DynamoDBPersistenceLayer(table_name=table_name, boto3_client=client)


__all__ = [
    "IdempotencyAlreadyInProgressError",
    "IdempotencyValidationError",
    "idempotency_config",
    "idempotency_store",
]
