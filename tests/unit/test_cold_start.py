"""The garbage collector is paused while a handler module imports and serves its first event, and runs again after."""

from __future__ import annotations

import gc

from orders.cold_start import pause_collector, paused_through_first_event, resume_collector


def test_the_collector_runs_again_once_initialisation_is_over():
    gc.enable()  # importing a handler module without calling it (other tests do) leaves it paused
    try:
        pause_collector()
        assert not gc.isenabled()
        resume_collector()
        # A Lambda container lives for hours: a collector left off would let its cyclic garbage grow.
        assert gc.isenabled()
    finally:
        gc.unfreeze()  # what resume_collector froze belongs to this test process, not a container
        gc.enable()


def test_a_handler_keeps_the_collector_paused_through_its_first_event_only():
    seen = []

    @paused_through_first_event
    def handler(event: dict[str, int], _context: object) -> int:
        seen.append(gc.isenabled())
        return event["n"]

    gc.enable()
    try:
        pause_collector()
        assert handler({"n": 1}, None) == 1
        assert gc.isenabled()  # resumed once the first event was served
        gc.disable()  # a second event must not resume (or freeze) anything again
        assert handler({"n": 2}, None) == 2
        assert not gc.isenabled()
        assert seen == [False, False]
    finally:
        gc.unfreeze()
        gc.enable()
