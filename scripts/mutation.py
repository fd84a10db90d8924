"""mutmut for this layout: `python -m scripts.mutation run|results|show NAME|apply NAME|score` (docs/testing.md).

mutmut names a mutant after its file's path (`shared/python/orders/models.py` -> `shared.python.orders.models`)
and activates it only where that name equals the running function's `__module__`. The layer's code is
imported as `orders.*` (shared/python is on the path, as in Lambda), so the prefix is dropped from the names
here before any mutmut command runs; `services.*` already matches. Everything else is mutmut's own CLI,
configured in pyproject.toml's [tool.mutmut].
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import mutmut.__main__ as mutmut_main
import mutmut.mutation.file_mutation as file_mutation
from mutmut.utils import format_utils

LAYER = "shared/python/"
_path_named = format_utils.get_mutant_name


def get_mutant_name(relative_source_path: Path, mutant_method_name: str) -> str:
    """mutmut's name, for the module name the code is imported under."""
    path = str(relative_source_path)
    return _path_named(Path(path.removeprefix(LAYER)), mutant_method_name)


def score() -> int:
    """Print killed/total and the survivors from mutmut's saved results; exit 1 when nothing was run."""
    mutmut_main.export_cicd_stats.callback()  # type: ignore[misc]
    stats_file = Path("mutants") / "mutmut-cicd-stats.json"
    if not stats_file.exists():
        return 1
    stats = json.loads(stats_file.read_text())
    total = stats["total"]
    killed = stats["killed"] + stats["timeout"]  # a mutant that hangs the tests is caught too
    print(json.dumps(stats, sort_keys=True))
    print(f"mutation score: {killed}/{total} killed ({100 * killed / max(total, 1):.1f}%)")
    return 0


def main() -> None:
    for module in (format_utils, file_mutation, mutmut_main):
        module.get_mutant_name = get_mutant_name  # type: ignore[attr-defined]
    if sys.argv[1:2] == ["score"]:
        sys.exit(score())
    mutmut_main.cli()


if __name__ == "__main__":
    main()
