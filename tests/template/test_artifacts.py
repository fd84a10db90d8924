"""The zips `sls package` builds (plugins/compile-bytecode.js): every module ships with bytecode Python 3.11 loads
without compiling or checking the source, and the dependencies layer holds nothing the runtime never reads."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path, PurePosixPath

import pytest

ARTIFACTS = ("api", "processor", "shared", "pythonRequirements")
PYTHON_311_MAGIC = (3495).to_bytes(2, "little") + b"\r\n"  # CPython 3.11's, the runtime's (PEP 3147)
UNCHECKED_HASH = 0b01  # PEP 552 flags: hash-based, and the source is not checked against it


def _pyc_of(source: str) -> str:
    path = PurePosixPath(source)
    return str(path.parent / "__pycache__" / f"{path.stem}.cpython-311.pyc")


@pytest.fixture(scope="module", params=ARTIFACTS)
def archive(request: pytest.FixtureRequest, packaged: dict[str, Path]) -> zipfile.ZipFile:
    # Artifacts do not depend on the stage: dev's are checked.
    return zipfile.ZipFile(packaged["dev"] / f"{request.param}.zip")


def test_every_module_has_unchecked_hash_bytecode_for_python_311(archive):
    names = set(archive.namelist())
    sources = sorted(name for name in names if name.endswith(".py"))
    assert sources
    for source in sources:
        pyc = archive.read(_pyc_of(source))
        assert pyc[:4] == PYTHON_311_MAGIC, source
        assert int.from_bytes(pyc[4:8], "little") == UNCHECKED_HASH, source
        assert pyc[8:16] == importlib.util.source_hash(archive.read(source)), source  # compiled from this source


def test_no_bytecode_without_its_source(archive):
    # A stale .pyc of a removed module would still be importable in Lambda.
    compiled = {name for name in archive.namelist() if name.endswith(".pyc")}
    sources = {_pyc_of(name) for name in archive.namelist() if name.endswith(".py")}
    assert compiled == sources


def test_dependencies_layer_leaves_out_packaging_leftovers(packaged):
    with zipfile.ZipFile(packaged["dev"] / "pythonRequirements.zip") as layer:
        names = layer.namelist()
    leftovers = [name for name in names if name.startswith(("python/bin/", "python/requirements.txt", "python/.c"))]
    assert leftovers == []
    assert "python/pydantic/__init__.py" in names  # and still everything it should hold
    assert all(name.startswith("python/") for name in names)
