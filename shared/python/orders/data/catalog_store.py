"""The product catalog, a JSON document in S3 (the same file the storefront shows)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from orders.data.errors import aws_call
from orders.errors import CatalogError
from orders.models import Catalog


class CatalogStore:
    def __init__(
        self,
        client: Any,
        bucket_name: str,
        object_key: str,
        cache_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._bucket_name = bucket_name
        self._object_key = object_key
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._cached: tuple[float, Catalog] | None = None

    def current(self) -> Catalog:
        """The catalog, read from S3 at most once per `cache_seconds` per container."""
        now = self._clock()
        if self._cached is None or now - self._cached[0] >= self._cache_seconds:
            self._cached = (now, self.load())
        return self._cached[1]

    def load(self) -> Catalog:
        with aws_call("reading the product catalog"):
            response = self._client.get_object(Bucket=self._bucket_name, Key=self._object_key)
            body = response["Body"].read()
        try:
            return Catalog.model_validate_json(body)
        except ValidationError as error:
            raise CatalogError(f"the product catalog is malformed: {error.error_count()} errors") from error
