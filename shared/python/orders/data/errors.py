"""Translate botocore failures into the domain's errors, so that callers never see botocore types."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from botocore.exceptions import BotoCoreError, ClientError

from orders.errors import DependencyUnavailableError


@contextmanager
def aws_call(what: str) -> Iterator[None]:
    try:
        yield
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "Unknown")
        raise DependencyUnavailableError(f"{what} failed: {code}") from error
    except BotoCoreError as error:
        raise DependencyUnavailableError(f"{what} failed: {type(error).__name__}") from error
