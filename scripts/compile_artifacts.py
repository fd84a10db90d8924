"""Add compiled bytecode to the zips `sls package` builds, and leave out files the runtime never reads.

Lambda unpacks function code to /var/task and layers to /opt, both read-only: a module without a `.pyc` in
the zip is compiled again on every cold start (`slim: true` strips the dependencies' `.pyc`, and the package
patterns leave out `__pycache__`). Run by plugins/compile-bytecode.js after packaging, with the runtime's own
Python (python3.11), so that the magic number matches:

    python3.11 scripts/compile_artifacts.py --prefix /opt --leave-out 'python/bin/*' LAYER.zip

For every `.py` in the zip, `__pycache__/NAME.cpython-311.pyc` is added, compiled by `compileall` with
`unchecked-hash` invalidation (PEP 552): the interpreter loads it without looking at the source's mtime,
which zips do not keep faithfully (osls writes 1980-01-01 for function code). The source itself stays, for
tracebacks. Compiling again is a no-op when every `.pyc` is there and matches its source's hash, as when
serverless-python-requirements hands back the layer zip of its static cache, rewritten in place last time.
Standard library only: the runtime's interpreter has no venv.
"""

from __future__ import annotations

import argparse
import compileall
import fnmatch
import importlib.util
import os
import py_compile
import sys
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

PYC_FLAGS_UNCHECKED_HASH = 0b01  # PEP 552: bit 0 = hash-based, bit 1 = check_source (clear: unchecked)


def pyc_name(source: str) -> str:
    """`python/pydantic/main.py` -> `python/pydantic/__pycache__/main.cpython-311.pyc` (this interpreter's tag)."""
    path = PurePosixPath(source)
    return str(path.parent / "__pycache__" / f"{path.stem}.{sys.implementation.cache_tag}.pyc")


def is_current(pyc: bytes, source: bytes) -> bool:
    """Whether `pyc` is an unchecked-hash pyc of this interpreter for exactly `source`."""
    return (
        pyc[:4] == importlib.util.MAGIC_NUMBER
        and int.from_bytes(pyc[4:8], "little") == PYC_FLAGS_UNCHECKED_HASH
        and pyc[8:16] == importlib.util.source_hash(source)
    )


def _left_out(name: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def _complete(archive: zipfile.ZipFile, patterns: list[str]) -> bool:
    names = set(archive.namelist())
    if any(_left_out(name, patterns) for name in names):
        return False
    sources = [name for name in names if name.endswith(".py")]
    return all(
        pyc_name(name) in names and is_current(archive.read(pyc_name(name)), archive.read(name)) for name in sources
    )


def compile_zip(path: Path, prefix: str, leave_out: list[str]) -> int:
    """Rewrite the zip at `path` (through a symlink, onto its target) with a `.pyc` beside every `.py` and
    without the members matching `leave_out` (fnmatch patterns on member names). `prefix` is where the zip
    is unpacked at run time (/var/task or /opt): the code objects name their files under it. Returns the
    number of `.pyc` written (0 when the zip was already complete)."""
    target = path.resolve()
    with zipfile.ZipFile(target) as archive:
        if _complete(archive, leave_out):
            return 0
        members = [
            info
            for info in archive.infolist()
            if not _left_out(info.filename, leave_out) and "/__pycache__/" not in f"/{info.filename}"
        ]
        with tempfile.TemporaryDirectory(prefix="compile-artifacts-") as temp:
            root = Path(temp)
            sources = [info for info in members if info.filename.endswith(".py")]
            for info in sources:
                archive.extract(info, root)
            ok = compileall.compile_dir(
                root,
                ddir=prefix,
                quiet=1,
                workers=0,  # one process per core: the layer has ~460 modules
                invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
            )
            if not ok:
                raise SystemExit(f"{path}: some modules do not compile with Python {sys.version.split()[0]}")
            rewritten = target.with_name(f".{target.name}.compiling")
            with zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as output:
                for info in members:
                    output.writestr(info, archive.read(info))
                for info in sources:  # after the originals, in their order: the same input gives the same zip
                    pyc = zipfile.ZipInfo(pyc_name(info.filename), date_time=info.date_time)
                    pyc.external_attr = info.external_attr
                    pyc.compress_type = zipfile.ZIP_DEFLATED
                    output.writestr(pyc, (root / pyc_name(info.filename)).read_bytes())
    os.replace(rewritten, target)
    return len(sources)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prefix", required=True, help="where the zip is unpacked in Lambda: /var/task or /opt")
    parser.add_argument("--leave-out", action="append", default=[], help="fnmatch pattern of members to drop")
    parser.add_argument("zips", nargs="+", type=Path)
    args = parser.parse_args(argv)
    for path in args.zips:
        count = compile_zip(path, args.prefix, args.leave_out)
        print(f"{path.name}: {count} .pyc added" if count else f"{path.name}: already compiled")


if __name__ == "__main__":
    main()
