"""scripts/local_moto_server.py changes moto's cost, not its answers: the same clock, read more cheaply."""

from __future__ import annotations

from datetime import datetime

from moto.core import utils

from scripts.local_moto_server import unix_time, unix_time_millis


def test_now_is_moto_s_now():
    before = utils.unix_time()
    now = unix_time()
    after = utils.unix_time()

    assert before <= now <= after


def test_a_given_time_is_converted_as_moto_does():
    moment = datetime(2026, 12, 1, 6, 30, 15, 250000)

    assert unix_time(moment) == utils.unix_time(moment)
    assert unix_time_millis(moment) == utils.unix_time_millis(moment)
