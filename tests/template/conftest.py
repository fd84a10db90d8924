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
from tests.template.stage_params import STAGES, TEMPLATE_FILE, param_flags


@pytest.fixture(scope="session")
def packaged() -> Iterator[dict[str, Path]]:
    output = REPO_ROOT / ".serverless-test"
    shutil.rmtree(output, ignore_errors=True)
    with moto_server() as endpoint:
        env = aws_environment(endpoint)
        for stage in STAGES:
            sls(["package", "--stage", stage, "--package", str(output / stage), *param_flags(stage)], env)
    yield {stage: output / stage for stage in STAGES}
    shutil.rmtree(output, ignore_errors=True)


@pytest.fixture(scope="session")
def template_files(packaged: dict[str, Path]) -> dict[str, Path]:
    return {stage: folder / TEMPLATE_FILE for stage, folder in packaged.items()}


@pytest.fixture(scope="session")
def templates(template_files: dict[str, Path]) -> dict[str, dict[str, Any]]:
    return {stage: json.loads(path.read_text()) for stage, path in template_files.items()}
