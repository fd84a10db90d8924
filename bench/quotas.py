"""AWS quotas and scaling rates the scale model checks against: defaults of a new account, per Region.

Each is a named constant with the page that states it, read 2026-11-25 (AWS changes these: check the page,
and your account's Service Quotas console, before relying on a figure). Prices are in bench/pricing.py.
"""

from __future__ import annotations

# https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html
# Concurrent executions per account and Region (default quota; raised by request).
LAMBDA_ACCOUNT_CONCURRENCY = 1_000
# Reserved concurrency may leave no less than this unreserved for the other functions.
LAMBDA_UNRESERVED_MINIMUM = 100

# https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html
# Each function can add up to 1,000 concurrent executions every 10 seconds (synchronous invocations).
LAMBDA_SCALING_STEP = 1_000
LAMBDA_SCALING_STEP_SECONDS = 10

# https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#sqs-scaling
# An SQS event source mapping adds up to 300 concurrent invocations per minute, starting from 5.
SQS_POLLER_START = 5
SQS_POLLER_SCALE_PER_MINUTE = 300
# https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html : maximumConcurrency is 2 to 1,000.
SQS_MAXIMUM_CONCURRENCY_CEILING = 1_000

# https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
# Throttle quota per account and Region across HTTP, REST and WebSocket APIs, with a token-bucket burst.
HTTP_API_ACCOUNT_RATE = 10_000
HTTP_API_ACCOUNT_BURST = 5_000

# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
# On-demand: per-table maximum read and write request units per second (default account quota).
DYNAMODB_TABLE_MAX_WRITE_UNITS = 40_000
DYNAMODB_TABLE_MAX_READ_UNITS = 40_000
# Per partition: 1,000 write units and 3,000 read units per second, whatever the capacity mode.
DYNAMODB_PARTITION_WRITE_UNITS = 1_000
DYNAMODB_PARTITION_READ_UNITS = 3_000
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html
# A new on-demand table serves up to 4,000 write units per second at once (12,000 read units); more needs
# warm throughput set ahead, or traffic that doubles its previous peak no faster than every 30 minutes.
DYNAMODB_NEW_TABLE_WRITE_UNITS = 4_000
DYNAMODB_NEW_TABLE_READ_UNITS = 12_000

# https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
# Standard queues: "nearly unlimited" API calls per second; not a limit at these rates.

HOURS_PER_MONTH = 730  # AWS's own convention on its pricing pages
