"""Starting, waiting for and stopping the local stack's processes (moto server, osls), on loopback only."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

REPO_ROOT = Path(__file__).resolve().parents[1]
BIN = REPO_ROOT / ".venv" / "bin"
SLS = REPO_ROOT / "node_modules" / ".bin" / "sls"
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def port_is_free(port: int) -> bool:
    """Whether a server could listen on the port now (connections lingering in TIME_WAIT do not count)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((LOOPBACK, port))
        except OSError:
            return False
        return True


def wait_until_answering(url: str, process: subprocess.Popen[bytes], deadline_seconds: float = 60) -> None:
    """Poll until `url` answers any HTTP status; fail early if the process died."""
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before {url} answered")
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - a loopback URL we built
        except urllib.error.HTTPError:
            return  # any HTTP answer means the server is up
        except OSError:
            time.sleep(0.05)  # not listening yet: poll again
        else:
            return
    raise TimeoutError(f"{url} did not answer within {deadline_seconds} s")


def start(
    argv: list[str], env: dict[str, str] | None = None, log_file: Path | None = None, prefix: str | None = None
) -> subprocess.Popen[bytes]:
    """Start a process in its own process group, so that stopping it also stops what it spawned.

    Its output goes to `log_file` and, with a `prefix`, to this terminal as `[prefix] line`.
    """
    process = subprocess.Popen(
        argv,
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE if log_file or prefix else subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    if process.stdout is not None:
        threading.Thread(target=_copy_output, args=(process.stdout, log_file, prefix), daemon=True).start()
    return process


def _copy_output(stream: IO[bytes], log_file: Path | None, prefix: str | None) -> None:
    log = log_file.open("ab") if log_file else None
    try:
        for line in iter(stream.readline, b""):
            if log:
                log.write(line)
                log.flush()
            if prefix:
                sys.stdout.write(f"[{prefix}] {line.decode(errors='replace')}")
                sys.stdout.flush()
    finally:
        if log:
            log.close()


def stop(process: subprocess.Popen[bytes], grace_seconds: float = 10) -> None:
    """SIGTERM the process group, then SIGKILL what is left after the grace period."""
    if process.poll() is None:
        _signal_group(process, signal.SIGTERM)
        try:
            process.wait(timeout=grace_seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    _signal_group(process, signal.SIGKILL)  # children that outlived their parent


def _signal_group(process: subprocess.Popen[bytes], signum: signal.Signals) -> None:
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def moto_server_command(port: int) -> list[str]:
    """The argv of the project's moto server (scripts/local_moto_server.py) on loopback at `port`."""
    return [str(BIN / "python"), "-m", "scripts.local_moto_server", "-H", LOOPBACK, "-p", str(port)]


@contextmanager
def moto_server(port: int | None = None, log_file: Path | None = None) -> Iterator[str]:
    """`make dev`'s moto server on loopback, a free port unless given; yields its URL."""
    port = port or free_port()
    process = start(moto_server_command(port), log_file=log_file)
    endpoint = f"http://{LOOPBACK}:{port}"
    try:
        wait_until_answering(f"{endpoint}/moto-api/", process)
        yield endpoint
    finally:
        stop(process)


def aws_environment(endpoint: str, region: str = "eu-west-1") -> dict[str, str]:
    """Environment for osls and boto3 pointing at moto server, never at AWS."""
    env = {**os.environ}
    env.update(
        AWS_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID="moto",
        AWS_SECRET_ACCESS_KEY="moto",  # noqa: S106 - moto accepts any credentials
        AWS_REGION=region,
        AWS_DEFAULT_REGION=region,
        SLS_TELEMETRY_DISABLED="1",
        SLS_NOTIFICATIONS_MODE="off",
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
    )
    return env


def sls(args: list[str], env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(SLS), *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"sls {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result
