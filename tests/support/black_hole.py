"""An endpoint that accepts connections and never answers: a dependency that hangs."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def black_hole() -> Iterator[str]:
    """Yield the URL of a loopback socket that completes TCP handshakes and then reads and says nothing.

    The kernel accepts connections into the listen backlog without the program calling accept(), so no
    thread is needed; closing the socket at the end resets every connection still waiting.
    """
    with socket.create_server(("127.0.0.1", 0), backlog=64) as server:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
