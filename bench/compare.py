"""Cold start of this checkout against another one, interleaved run by run (not part of `make bench`):

    git worktree add /tmp/base HEAD~1      # or any other checkout of this repository
    python -m bench.compare /tmp/base 25

Only the code differs between the two: both run with this checkout's virtualenv, probe and moto server.
Used to measure each cold-start change in docs/performance.md.
"""

from __future__ import annotations

import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from bench.coldstart import VARIANTS, Sample, run_once
from bench.environment import local_aws
from bench.stats import markdown_table, summarise
from scripts.processes import REPO_ROOT

COMPARED = ("api_post", "api_post_key", "processor")


def main() -> None:
    other, runs = Path(sys.argv[1]).resolve(), int(sys.argv[2]) if len(sys.argv) > 2 else 25
    trees = {"this checkout": REPO_ROOT, str(other): other}
    variants = [variant for variant in VARIANTS if variant.key in COMPARED]
    samples: dict[tuple[str, str], list[Sample]] = defaultdict(list)
    with local_aws() as aws, tempfile.TemporaryDirectory(prefix="bench-compare-") as temp:
        envs = {
            name: {**aws.environment(), "PYTHONPATH": f"{root}:{root / 'shared' / 'python'}"}
            for name, root in trees.items()
        }
        for round_ in range(runs + 1):  # round 0 warms up (and compiles .pyc)
            order = list(envs.items()) if round_ % 2 else list(reversed(envs.items()))
            for variant in variants:
                for name, env in order:
                    sample = run_once(variant, env, (), Path(temp))
                    if round_:
                        samples[(variant.label, name)].append(sample)
    rows = [
        (
            label,
            name,
            summarise(s.total_ms for s in found).format(0),
            summarise(s.init_ms or 0.0 for s in found).format(0),
            summarise(s.invoke_ms or 0.0 for s in found).format(0),
            summarise(s.cpu_ms for s in found).format(0),
        )
        for (label, name), found in samples.items()
    ]
    headers = ("cold start, median (min-max)", "code", "total ms", "init ms", "first event ms", "CPU ms")
    print(markdown_table(headers, rows))


if __name__ == "__main__":
    main()
