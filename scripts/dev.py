"""`make dev`: the whole order system on this machine, on moto server, in one command.

moto server (local AWS) <- tables, queues, bucket, user pool and app client from the packaged template
sls offline             -> the HTTP API, and the processor fed from the local queue (serverless-offline-sqs)
storefront_server       -> the storefront, with a config.json pointing at the local API and user pool

Ports come from MOTO_PORT, API_PORT, WEB_PORT and OFFLINE_LAMBDA_PORT. Ctrl-C stops everything.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from subprocess import Popen
from types import FrameType

from scripts.local_aws import create_data_stack, moto_client, upload_file
from scripts.local_cognito import LocalUserPool, create_user_pool
from scripts.processes import (
    BIN,
    LOOPBACK,
    REPO_ROOT,
    SLS,
    aws_environment,
    moto_server_command,
    port_is_free,
    sls,
    start,
    stop,
)
from scripts.processes import wait_until_answering as wait_for

STAGE = "local"
DEV_DIR = REPO_ROOT / ".dev"
FRONTEND = REPO_ROOT / "frontend"
CATALOG_KEY = "catalog/products.json"


DEFAULT_MOTO_PORT = 4566
DEFAULT_REGION = "eu-west-1"  # the Makefile's AWS_REGION default


@dataclass(frozen=True)
class DevSettings:
    moto_port: int
    api_port: int
    web_port: int
    lambda_port: int
    region: str

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> DevSettings:
        return cls(
            moto_port=int(environ.get("MOTO_PORT", str(DEFAULT_MOTO_PORT))),
            api_port=int(environ.get("API_PORT", "3000")),
            web_port=int(environ.get("WEB_PORT", "8080")),
            lambda_port=int(environ.get("OFFLINE_LAMBDA_PORT", "3002")),
            region=environ.get("AWS_REGION", DEFAULT_REGION),
        )

    @property
    def endpoint(self) -> str:
        return f"http://{LOOPBACK}:{self.moto_port}"

    @property
    def api_url(self) -> str:
        return f"http://{LOOPBACK}:{self.api_port}"

    @property
    def web_url(self) -> str:
        return f"http://{LOOPBACK}:{self.web_port}"


def check_ports(settings: DevSettings) -> None:
    wanted = {
        "MOTO_PORT": settings.moto_port,
        "API_PORT": settings.api_port,
        "WEB_PORT": settings.web_port,
        "OFFLINE_LAMBDA_PORT": settings.lambda_port,
    }
    taken = [f"{name}={port}" for name, port in wanted.items() if not port_is_free(port)]
    if taken:
        raise SystemExit(
            f"make dev: port(s) already in use: {', '.join(taken)}.\n"
            f"Stop what holds them, or choose others, e.g. `{taken[0].split('=')[0]}=4000 make dev`."
        )


def prepare_logs() -> Path:
    logs = DEV_DIR / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    for old in logs.glob("*.log"):
        old.unlink()
    return logs


def provision(settings: DevSettings, env: dict[str, str]) -> tuple[str, LocalUserPool, Path]:
    """Package the service, create its resources in moto and publish the catalog.

    Returns the bucket, the user pool and this stack's config.json (served as the storefront's).
    """
    package_dir = DEV_DIR / "package"
    sls(["package", "--stage", STAGE, "--package", str(package_dir)], env)
    template = package_dir / "cloudformation-template-update-stack.json"
    created = create_data_stack(settings.endpoint, settings.region, template, f"orders-{STAGE}")
    bucket = created["FrontendBucket"]
    s3 = moto_client("s3", settings.endpoint, settings.region)
    upload_file(s3, bucket, CATALOG_KEY, FRONTEND / CATALOG_KEY, "application/json")
    pool = create_user_pool(settings.endpoint, settings.region, json.loads(template.read_text()))
    # The storefront learns the API's URL and the user pool from config.json, exactly as in a deployed stage.
    # Its own file per stack, never frontend/config.json: another stack of this checkout would overwrite it.
    config = DEV_DIR / f"storefront-{settings.web_port}" / "config.json"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(json.dumps({"apiBaseUrl": settings.api_url, "cognito": pool.storefront_config()}) + "\n")
    return bucket, pool, config


def banner(settings: DevSettings, bucket: str, pool: LocalUserPool, logs: Path, seconds: float) -> str:
    """What runs where, and commands to look inside that work with the ports and region in use."""
    # `make local-*` run in another shell: it must be told a moved moto port or another region.
    make = "make"
    if settings.moto_port != DEFAULT_MOTO_PORT:
        make = f"MOTO_PORT={settings.moto_port} {make}"
    if settings.region != DEFAULT_REGION:
        make = f"AWS_REGION={settings.region} {make}"
    # moto takes any credentials, but the CLI refuses to run without some.
    aws = (
        f"AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION={settings.region} "
        f"aws --endpoint-url {settings.endpoint} dynamodb scan --table-name orders-{STAGE}-orders"
    )
    order = json.dumps({"items": [{"productId": "ceramic-mug", "quantity": 1}]})
    return f"""
================ order system running locally (ready in {seconds:.1f} s) ================
  Storefront   {settings.web_url}
  API          {settings.api_url}/orders   (GET; POST; GET /orders/{{orderId}}; POST /orders/{{orderId}}/cancel)
  Local AWS    {settings.endpoint}   (moto server: DynamoDB, SQS, S3, Cognito; bucket {bucket}; in memory)
  User pool    {pool.pool_id}   app client {pool.client_id}   (moto; every /orders route needs its access token)
  Shopper      {pool.shopper_email}   password {pool.shopper_password}   (demo account, confirmed)
  Sign-up      any confirmation code works locally: moto sends no e-mail and accepts every code
  Logs         {logs}/  (api and processor output also below, prefixed [sls])
  Look inside  {make} local-orders   |   {make} local-queues
  aws CLI      {aws}
  Order one    curl -i {settings.api_url}/orders -H "Authorization: Bearer $({make} -s local-token)" \\
                 -H 'content-type: application/json' -d '{order}'
Press Ctrl-C to stop everything (the local data goes with it).
"""


def run(settings: DevSettings) -> None:
    started_at = time.monotonic()
    check_ports(settings)
    logs = prepare_logs()
    env = aws_environment(settings.endpoint, settings.region)
    env.update(
        API_PORT=str(settings.api_port),
        WEB_PORT=str(settings.web_port),
        OFFLINE_LAMBDA_PORT=str(settings.lambda_port),
        # The layer is only mounted with Docker: put its code on the path of the offline runners instead.
        PYTHONPATH=str(REPO_ROOT / "shared" / "python"),
    )
    processes: list[Popen[bytes]] = []
    try:
        # moto_server with DynamoDB's atomic writes, cheaper under load (scripts/local_moto_server.py)
        moto = start(moto_server_command(settings.moto_port), log_file=logs / "moto.log")
        processes.append(moto)
        wait_for(f"{settings.endpoint}/moto-api/", moto)
        bucket, pool, config = provision(settings, env)
        # plugins/offline-cognito-authorizer.cjs verifies tokens against this pool (on routes that ask for it).
        env.update(pool.offline_environment())
        web = start(
            [
                str(BIN / "python"),
                "-m",
                "scripts.storefront_server",
                "--port",
                str(settings.web_port),
                "--config",
                str(config),
            ],
            log_file=logs / "web.log",
        )
        offline = start([str(SLS), "offline", "start", "--stage", STAGE], env, logs / "sls.log", prefix="sls")
        processes += [web, offline]
        wait_for(f"{settings.web_url}/index.html", web)
        wait_for(f"{settings.api_url}/orders/readiness-check", offline)
        print(banner(settings, bucket, pool, logs, time.monotonic() - started_at), flush=True)
        wait_for_exit(processes)
    finally:
        # A second Ctrl-C (or a SIGTERM to the whole group) must not cut the clean-up short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("make dev: stopping...", flush=True)
        for process in reversed(processes):
            stop(process)
        print("make dev: stopped every process it started.", flush=True)


def wait_for_exit(processes: list[Popen[bytes]]) -> None:
    """Block until Ctrl-C/SIGTERM, or until one process dies (then say which)."""
    while True:
        for process in processes:
            if process.poll() is not None:
                raise SystemExit(f"make dev: {process.args!r} exited with {process.returncode}; see {DEV_DIR}/logs")
        time.sleep(0.5)


def _terminate(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main() -> None:
    # Both handlers explicitly: started in the background by a script (`make dev &` in a non-interactive
    # shell, a Popen with SIGINT ignored), make dev inherits SIGINT ignored, and Python then installs no
    # KeyboardInterrupt handler of its own; Ctrl-C or `kill -INT` would do nothing.
    signal.signal(signal.SIGINT, _terminate)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        run(DevSettings.from_environment())
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
