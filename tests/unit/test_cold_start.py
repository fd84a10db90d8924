"""The garbage collector is paused while a handler module imports, and runs again after."""

from __future__ import annotations

import gc

from orders.cold_start import pause_collector, resume_collector


def test_the_collector_runs_again_once_initialisation_is_over():
    assert gc.isenabled()
    try:
        pause_collector()
        assert not gc.isenabled()
        resume_collector()
        # A Lambda container lives for hours: a collector left off would let its cyclic garbage grow.
        assert gc.isenabled()
    finally:
        gc.unfreeze()  # what resume_collector froze belongs to this test process, not a container
        gc.enable()
