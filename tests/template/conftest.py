"""Package the service with osls (against moto server: osls asks CloudFormation about existing layers even
when only packaging): dev and prod as a fresh clone does, without params, and prod with a site domain. The
templates are handed to the tests by packaging name (tests/template/stage_params.py)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scripts.processes import REPO_ROOT, aws_environment, moto_server, sls
from tests.template.stage_params import PACKAGINGS, TEMPLATE_FILE, param_flags


@pytest.fixture(scope="session")
def packaged() -> Iterator[dict[str, Path]]:
    output = REPO_ROOT / ".serverless-test"
    shutil.rmtree(output, ignore_errors=True)
    with moto_server() as endpoint:
        env = aws_environment(endpoint)
        for name, packaging in PACKAGINGS.items():
            sls(["package", "--stage", packaging.stage, "--package", str(output / name), *param_flags(name)], env)
    yield {name: output / name for name in PACKAGINGS}
    shutil.rmtree(output, ignore_errors=True)


@pytest.fixture(scope="session")
def template_files(packaged: dict[str, Path]) -> dict[str, Path]:
    return {name: folder / TEMPLATE_FILE for name, folder in packaged.items()}


@pytest.fixture(scope="session")
def templates(template_files: dict[str, Path]) -> dict[str, dict[str, Any]]:
    return {name: json.loads(path.read_text()) for name, path in template_files.items()}
