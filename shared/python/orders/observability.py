"""One Logger and one Metrics object per process, configured by the POWERTOOLS_* environment variables.

Tracing is Lambda's active tracing (a function setting in serverless.yml): no X-Ray SDK is imported here,
so the correlation id in every log line and queue message is what ties a request to its processing.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

logger = Logger()
metrics = Metrics()

__all__ = ["MetricUnit", "logger", "metrics"]
