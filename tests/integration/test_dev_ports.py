"""`make dev` refuses to start on a taken port and says which variable moves it."""

from __future__ import annotations

import os
import socket
import subprocess

from scripts.processes import BIN, LOOPBACK, REPO_ROOT, free_port


def test_a_taken_port_is_named_with_the_variable_that_moves_it():
    with socket.socket() as squatter:
        squatter.bind((LOOPBACK, 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        env = {
            **os.environ,
            "API_PORT": str(taken),
            "MOTO_PORT": str(free_port()),
            "WEB_PORT": str(free_port()),
            "OFFLINE_LAMBDA_PORT": str(free_port()),
        }
        result = subprocess.run(
            [str(BIN / "python"), "-m", "scripts.dev"],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    assert result.returncode != 0
    assert f"API_PORT={taken}" in result.stderr
    assert "API_PORT=4000 make dev" in result.stderr
