"""The `make dev` stack, started once per test session on free loopback ports and stopped at the end the
way a user stops it (SIGINT, as Ctrl-C sends). Stopping must leave no port bound."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scripts.dev_stack import DevStack, dev_stack, stopped_cleanly

Stack = DevStack


@pytest.fixture(scope="session")
def local_stack() -> Iterator[DevStack]:
    with dev_stack() as running:
        yield running
    assert stopped_cleanly(running), "".join(running.output[-20:])
