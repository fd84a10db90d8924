"""mutmut for this layout: `python -m scripts.mutation run|results|show NAME|apply NAME|score` (docs/testing.md).

mutmut names a mutant after its file's path (`shared/python/orders/models.py` -> `shared.python.orders.models`)
and activates it only where that name equals the running function's `__module__`. The layer's code is
imported as `orders.*` (shared/python is on the path, as in Lambda), so the prefix is dropped from the names
here before any mutmut command runs; `services.*` already matches. Everything else is mutmut's own CLI,
configured in pyproject.toml's [tool.mutmut].
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import mutmut.__main__ as mutmut_main
import mutmut.mutation.file_mutation as file_mutation
from mutmut.mutation.data import SourceFileMutationData
from mutmut.stats import status_by_exit_code
from mutmut.utils import format_utils
from mutmut.utils.file_utils import walk_mutatable_files

LAYER = "shared/python/"
_path_named = format_utils.get_mutant_name


def get_mutant_name(relative_source_path: Path, mutant_method_name: str) -> str:
    """mutmut's name, for the module name the code is imported under."""
    path = str(relative_source_path)
    return _path_named(Path(path.removeprefix(LAYER)), mutant_method_name)


def score() -> int:
    """Print killed/total per file and in all, from mutmut's saved results; exit 1 when nothing was checked.

    A mutant that made the tests time out counts as killed. Mutants not checked yet (an interrupted run)
    are counted apart, never as killed.
    """
    counts: dict[str, Counter[str]] = {}
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        counts[str(path)] = Counter(status_by_exit_code[code] for code in data.exit_code_by_key.values())
    total = Counter[str]()
    for name, count in counts.items():
        total += count
        if count:
            print(f"{name}: {_summary(count)}")
    print(f"all: {_summary(total)}")
    return 0 if total.total() > total["not checked"] else 1


def _summary(count: Counter[str]) -> str:
    killed = count["killed"] + count["timeout"]
    checked = count.total() - count["not checked"]
    others = ", ".join(f"{n} {status}" for status, n in sorted(count.items()) if status not in ("killed", "timeout"))
    percent = f"{100 * killed / checked:.1f}%" if checked else "-"
    return f"{killed}/{checked} killed ({percent}){'; ' + others if others else ''}"


def main() -> None:
    for module in (format_utils, file_mutation, mutmut_main):
        module.get_mutant_name = get_mutant_name  # type: ignore[attr-defined]
    if sys.argv[1:2] == ["score"]:
        sys.exit(score())
    mutmut_main.cli()


if __name__ == "__main__":
    main()
