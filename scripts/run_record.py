"""What a measurement ran on: the machine, the load on it, the versions and the commit, for every result file."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
from importlib import metadata
from typing import Any

from scripts.processes import REPO_ROOT


def _command(*argv: str) -> str:
    completed = subprocess.run(argv, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    return completed.stdout.strip() or completed.stderr.strip()


def machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo") if line.startswith("model name")), "")
    memory_kb = next((int(line.split()[1]) for line in _read("/proc/meminfo") if line.startswith("MemTotal")), 0)
    osls = json.loads((REPO_ROOT / "node_modules" / "osls" / "package.json").read_text())["version"]
    versions = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("aws-lambda-powertools", "pydantic", "botocore", "boto3", "moto")
    )
    return {
        "date (UTC)": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"),
        "cpu": f"{os.cpu_count()} x {cpu or platform.machine()}",
        "memory": f"{memory_kb / 1024 / 1024:.1f} GiB",
        "load average at start (1/5/15 min)": " / ".join(f"{load:.2f}" for load in os.getloadavg()),
        "os": platform.platform(),
        "python": platform.python_version(),
        "node": _command("node", "--version"),
        "osls": osls,
        "packages": versions,
        "commit": _command("git", "rev-parse", "--short", "HEAD")
        + (" (with uncommitted changes)" if _command("git", "status", "--porcelain") else ""),
    }


def _read(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.readlines()
    except OSError:
        return []
