"""The artifacts `sls package` builds, unpacked as Lambda lays them out, for cold starts of what is deployed.

Lambda unzips a function's code to /var/task and its layers, merged, to /opt (with /opt/python on
sys.path), both read-only, and its python3.11 runtime brings its own boto3 and botocore, found after
/opt/python. Under `root` this builds, per function, that layout from the zips of `sls package --stage dev`:

    root/package/                  the zips and template
    root/opt/python/               both layers merged (shared, then pythonRequirements)
    root/api/, root/processor/     each function's zip: its /var/task
    root/baselines/                bench/baselines compiled the same way: the baselines' /var/task
    root/runtime/                  the runtime's SDK: links to this venv's boto3, botocore and their dependencies
    root/no-pyc/...                opt, api and processor again without any __pycache__: what was deployed before

The requirements layer is built for arm64 (manylinux2014_aarch64). On another machine its one compiled
extension, pydantic_core's, cannot load, so it is swapped for this venv's build of the same version (checked
against requirements.txt, and every .py of the package is checked identical): the measurement only.
Runs set `PYTHONDONTWRITEBYTECODE`: the folders are made read-only too, but root writes through that.
"""

from __future__ import annotations

import compileall
import importlib.machinery
import os
import py_compile
import shutil
import stat
import sysconfig
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from scripts.processes import REPO_ROOT, aws_environment, sls

STAGE = "dev"
# What Lambda's python3.11 runtime provides beside the interpreter: boto3 and what it imports.
RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py")
# -S: no site-packages of this machine's interpreter (the venv's): only the layout's folders are importable.
FLAGS = ("-S",)


@dataclass(frozen=True)
class Layout:
    """The folders of `sys.path` (in order) for one function as Lambda would see them."""

    paths: tuple[Path, ...]

    @property
    def pythonpath(self) -> str:
        return os.pathsep.join(str(path) for path in self.paths)


def _unzip(archive: Path, target: Path) -> None:
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(target)


def _foreign_extensions(layer: Path) -> list[Path]:
    """Compiled extensions of the layer this interpreter cannot load (built for another architecture)."""
    host = importlib.machinery.EXTENSION_SUFFIXES[0]  # tagged: .cpython-311-x86_64-linux-gnu.so on this machine
    return [path for path in layer.rglob("*.cpython-*.so") if not path.name.endswith(host)]


def _pinned_versions() -> dict[str, str]:
    pins = {}
    for line in (REPO_ROOT / "requirements.txt").read_text().splitlines():
        name, _, version = line.partition("==")
        if version and not name.startswith("#"):
            pins[name.strip().lower().replace("-", "_")] = version.strip()
    return pins


def swap_for_host(layer: Path) -> list[str]:
    """Replace each foreign extension by this venv's build of the same distribution and version; returns the
    packages swapped. Raises when the versions or any of the package's .py files differ."""
    swapped = []
    pins = _pinned_versions()
    for extension in _foreign_extensions(layer):
        package = extension.relative_to(layer).parts[0]
        distribution = metadata.distribution(package)
        if pins.get(package) != distribution.version:
            raise RuntimeError(f"{package}: venv has {distribution.version}, the layer {pins.get(package)}")
        installed = Path(str(distribution.locate_file(package)))
        for source in (layer / package).rglob("*.py"):
            if source.read_bytes() != (installed / source.relative_to(layer / package)).read_bytes():
                raise RuntimeError(f"{source} differs from the venv's: not the same build")
        extension.unlink()
        for host in installed.glob("*.so"):
            shutil.copy2(host, layer / package / host.name)
        swapped.append(f"{package} {distribution.version}")
    return swapped


def _runtime(target: Path) -> None:
    site = Path(sysconfig.get_paths()["purelib"])
    target.mkdir(parents=True)
    for name in RUNTIME_PACKAGES:
        (target / name).symlink_to(site / name)


def _baselines(target: Path) -> None:
    package = target / "bench"
    shutil.copytree(REPO_ROOT / "bench" / "baselines", package / "baselines", ignore=shutil.ignore_patterns("__*__"))
    (package / "__init__.py").write_text("")
    (package / "baselines" / "__init__.py").write_text("")
    invalidation = py_compile.PycInvalidationMode.UNCHECKED_HASH
    compileall.compile_dir(target, ddir="/var/task", quiet=1, invalidation_mode=invalidation)


def _files(root: Path) -> Iterator[Path]:
    return (path for path in root.rglob("*") if not path.is_symlink())


def read_only(root: Path) -> None:
    """chmod -R a-w, without following the runtime's links into the venv."""
    for path in [*_files(root), root]:
        mode = path.stat().st_mode
        path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def writable(root: Path) -> None:
    """Undo read_only (so that the temporary folder can be removed)."""
    for path in [root, *_files(root)]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


def fingerprint(root: Path) -> int:
    """How many files the layout holds: unchanged after the runs, or some run wrote bytecode."""
    return sum(1 for path in _files(root) if path.is_file())


def build(root: Path, endpoint: str) -> tuple[dict[str, Layout], dict[str, object]]:
    """Package, unpack and lay out under `root`; returns the layouts by name (api, processor, baselines, and
    api/processor without .pyc as `api_no_pyc`, `processor_no_pyc`) and notes for the results."""
    package = root / "package"
    sls(["package", "--stage", STAGE, "--package", str(package)], aws_environment(endpoint))
    opt = root / "opt"
    for layer in ("shared", "pythonRequirements"):
        _unzip(package / f"{layer}.zip", opt)
    swapped = swap_for_host(opt / "python")
    for function in ("api", "processor"):
        _unzip(package / f"{function}.zip", root / function)
    _baselines(root / "baselines")
    _runtime(root / "runtime")
    for name in ("opt", "api", "processor"):
        shutil.copytree(root / name, root / "no-pyc" / name, ignore=shutil.ignore_patterns("__pycache__"))
    read_only(root)
    runtime, no_pyc = root / "runtime", root / "no-pyc"
    layouts = {
        "api": Layout((root / "api", opt / "python", runtime)),
        "processor": Layout((root / "processor", opt / "python", runtime)),
        "baselines": Layout((root / "baselines", runtime)),
        "api_no_pyc": Layout((no_pyc / "api", no_pyc / "opt" / "python", runtime)),
        "processor_no_pyc": Layout((no_pyc / "processor", no_pyc / "opt" / "python", runtime)),
    }
    notes: dict[str, object] = {"stage": STAGE, "host_builds_of": swapped, "files": fingerprint(root)}
    return layouts, notes
