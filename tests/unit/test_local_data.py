"""`make local-orders|local-queues|local-token` without a running `make dev`: a plain message, no traceback."""

from __future__ import annotations

import os
import subprocess

import pytest

from scripts.processes import BIN, REPO_ROOT, free_port


@pytest.mark.parametrize("what", ["orders", "queues", "token"])
def test_without_a_local_stack_it_says_so_and_prints_nothing_to_use(what):
    port = free_port()
    result = subprocess.run(
        [str(BIN / "python"), "-m", "scripts.local_data", what],
        cwd=REPO_ROOT,
        env={**os.environ, "MOTO_PORT": str(port), "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""  # `$(make -s local-token)` gets nothing, not half a traceback
    assert result.stderr.strip() == (
        f"no local AWS at http://127.0.0.1:{port}: is `make dev` running (MOTO_PORT as it was started with)?"
    )
