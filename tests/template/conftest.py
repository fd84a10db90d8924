"""Package the service once per stage with osls (against moto server: osls asks CloudFormation about
existing layers even when only packaging) and hand the generated CloudFormation to the tests."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scripts.processes import REPO_ROOT, aws_environment, moto_server, sls

STAGES = ("dev", "prod")


@pytest.fixture(scope="session")
def packaged() -> Iterator[dict[str, Path]]:
    output = REPO_ROOT / ".serverless-test"
    shutil.rmtree(output, ignore_errors=True)
    with moto_server() as endpoint:
        env = aws_environment(endpoint)
        for stage in STAGES:
            sls(["package", "--stage", stage, "--package", str(output / stage)], env)
    yield {stage: output / stage for stage in STAGES}
    shutil.rmtree(output, ignore_errors=True)


@pytest.fixture(scope="session")
def templates(packaged: dict[str, Path]) -> dict[str, dict[str, Any]]:
    return {
        stage: json.loads((folder / "cloudformation-template-update-stack.json").read_text())
        for stage, folder in packaged.items()
    }
