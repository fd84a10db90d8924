"""scripts/local_moto_server.py changes moto's cost, not its answers: the same clock, read more cheaply, and
the same service names, listed once."""

from __future__ import annotations

import os
from datetime import datetime

import pytest
from moto import backends
from moto.core import utils
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

from scripts.local_moto_server import list_moto_modules_once, unix_time, unix_time_millis


def test_now_is_moto_s_now():
    before = utils.unix_time()
    now = unix_time()
    after = utils.unix_time()

    assert before <= now <= after


def test_a_given_time_is_converted_as_moto_does():
    moment = datetime(2026, 12, 1, 6, 30, 15, 250000)

    assert unix_time(moment) == utils.unix_time(moment)
    assert unix_time_millis(moment) == utils.unix_time_millis(moment)


def test_the_service_names_are_listed_once_and_the_dispatcher_uses_that_list(monkeypatch: pytest.MonkeyPatch):
    listed = list(backends.list_of_moto_modules())
    monkeypatch.setattr(backends, "list_of_moto_modules", backends.list_of_moto_modules)  # restored after the test
    list_moto_modules_once()

    def no_listing(_path: str) -> list[str]:
        raise AssertionError("moto listed its package folder again")

    monkeypatch.setattr(os, "listdir", no_listing)

    assert list(backends.list_of_moto_modules()) == listed
    assert list(backends.list_of_moto_modules()) == listed  # not an exhausted iterator the second time
    dispatcher = DomainDispatcherApplication(create_backend_app)
    assert dispatcher.get_backend_for_host("sqs") == "sqs"
    assert dispatcher.get_backend_for_host("dynamodb") == "dynamodb"
