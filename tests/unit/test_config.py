"""The settings read from the environment serverless.yml sets: a missing one is a broken deployment."""

from __future__ import annotations

import uuid

import pytest

from orders.config import MissingConfigurationError, get_settings
from tests.conftest import TEST_ENVIRONMENT


def test_the_settings_are_read_from_the_environment(monkeypatch):
    monkeypatch.delenv("CATALOG_CACHE_SECONDS", raising=False)
    settings = get_settings()
    assert settings.orders_table_name == TEST_ENVIRONMENT["ORDERS_TABLE_NAME"]
    assert settings.order_queue_name == TEST_ENVIRONMENT["ORDER_QUEUE_NAME"]
    assert settings.catalog_bucket_name == TEST_ENVIRONMENT["CATALOG_BUCKET_NAME"]
    assert settings.catalog_object_key == TEST_ENVIRONMENT["CATALOG_OBJECT_KEY"]
    assert settings.catalog_cache_seconds == 300
    assert settings.order_id_namespace == uuid.UUID(TEST_ENVIRONMENT["ORDER_ID_NAMESPACE"])


@pytest.mark.parametrize("set_empty", [False, True], ids=["unset", "empty"])
def test_a_missing_setting_is_an_error_naming_the_variable(monkeypatch, set_empty):
    if set_empty:
        monkeypatch.setenv("ORDER_QUEUE_NAME", "")
    else:
        monkeypatch.delenv("ORDER_QUEUE_NAME")
    with pytest.raises(MissingConfigurationError) as missing:
        get_settings()
    assert str(missing.value) == "environment variable ORDER_QUEUE_NAME is not set"
