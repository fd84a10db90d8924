"""Deployment size: `sls package` (against moto server: osls asks CloudFormation about layers even when only
packaging) and the size of each artifact, zipped and unzipped, with what fills the dependencies layer."""

from __future__ import annotations

import tempfile
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from scripts.processes import aws_environment, sls

# Artifacts do not depend on the stage; `local` is the stage that packages without deploy-only parameters.
STAGE = "local"
FUNCTION_LIMIT_BYTES = 100 * 1024
# The Lambda Python runtime already has these: a copy in a layer is only worth it when pinned on purpose.
RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer")


def top_level(name: str) -> str:
    """`python/pydantic/main.py` -> `pydantic`; `services/api/handler.py` -> `services`."""
    return name.removeprefix("python/").split("/", 1)[0].removesuffix(".py")


def archive_sizes(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        files = [info for info in archive.infolist() if not info.is_dir()]
    parts: Counter[str] = Counter()
    for info in files:
        parts[top_level(info.filename)] += info.file_size
    return {
        "zipped_bytes": path.stat().st_size,
        "unzipped_bytes": sum(info.file_size for info in files),
        "files": len(files),
        "py_files": sum(1 for info in files if info.filename.endswith(".py")),
        "pyc_files": sum(1 for info in files if info.filename.endswith(".pyc")),
        "parts_unzipped_bytes": dict(parts.most_common()),
    }


def measure(endpoint: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-package-") as temp:
        output = Path(temp) / "package"
        sls(["package", "--stage", STAGE, "--package", str(output)], aws_environment(endpoint))
        artifacts = {path.stem: archive_sizes(path) for path in sorted(output.glob("*.zip"))}
        with zipfile.ZipFile(output / "pythonRequirements.zip") as archive:
            # Powertools ships Swagger UI's assets, served only when a resolver enables Swagger (ours does not).
            swagger_ui_bytes = sum(info.file_size for info in archive.infolist() if "/swagger_ui/" in info.filename)
    layer_parts = artifacts["pythonRequirements"]["parts_unzipped_bytes"]
    return {
        "stage": STAGE,
        "swagger_ui_bytes": swagger_ui_bytes,
        "artifacts": artifacts,
        "runtime_packages_in_layer": [name for name in RUNTIME_PROVIDED if name in layer_parts],
        "functions_under_limit": all(
            artifacts[name]["unzipped_bytes"] < FUNCTION_LIMIT_BYTES for name in ("api", "processor")
        ),
    }
