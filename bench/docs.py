"""The docs' tables, written by the tools from their committed results, never typed by hand.

docs/performance.md and docs/scaling.md hold blocks between `<!-- generated: NAME -->` and
`<!-- /generated: NAME -->`. `make bench` and `make scale` rewrite each block from bench/results/latest.json
and bench/results/scale.json (committed beside the docs, with the machine and commit they ran on), and
tests/unit/test_generated_docs.py fails when a committed block differs from what the committed results render.

    python -m bench.docs     # rewrite the blocks from the results already in bench/results/
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import report
from bench.environment import RESULTS_DIR
from bench.scale_model import Measured, Settings, limits
from bench.stats import markdown_table
from scripts.processes import REPO_ROOT

DOCS = (
    REPO_ROOT / "docs" / "performance.md",
    REPO_ROOT / "docs" / "scaling.md",
    REPO_ROOT / "docs" / "reliability.md",
)
BENCH_RESULTS = RESULTS_DIR / "latest.json"
SCALE_RESULTS = RESULTS_DIR / "scale.json"
FUZZ_RESULTS = RESULTS_DIR / "fuzz.json"  # written by `make fuzz` (scripts/fuzz.py)
LOAD_RESULTS = RESULTS_DIR / "load.json"  # written by `make load` (scripts/load.py)


Results = dict[str, Any]
# Block name -> its text, from (bench results, scale results).
BLOCKS: dict[str, Callable[[Results, Results], str]] = {
    "machine": lambda bench, _: report.machine(bench["machine"]),
    "goals": lambda bench, _: report.goals(bench),
    "coldstart": lambda bench, _: report.coldstart(bench["coldstart"]),
    "import-profile": lambda bench, _: report.import_profile(bench["coldstart"]),
    "warm": lambda bench, _: report.warm(bench["warm"]),
    "aws-calls": lambda bench, _: report.aws_calls(bench["aws_calls"], bench["costs"]),
    "cost": lambda bench, _: report.cost(bench["costs"]),
    "package": lambda bench, _: report.package(bench["package"]),
    "local-stack": lambda bench, _: report.local_stack(bench["local_stack"]),
    "scale": lambda _, scale: _scale_table(scale),
    "ceilings": lambda _, scale: _ceilings(scale),
    "fuzz": lambda *_: _fuzz(json.loads(FUZZ_RESULTS.read_text())),
    "load": lambda *_: _load(json.loads(LOAD_RESULTS.read_text())),
}
_BLOCK = re.compile(r"(<!-- generated: (?P<name>[a-z-]+) -->\n)(?P<body>.*?)(\n<!-- /generated: (?P=name) -->)", re.S)


def _scale_table(scale: Results) -> str:
    return report.scale_table(scale["rates"], Settings(**scale["settings"]))


def _ceilings(scale: Results) -> str:
    found = limits(Settings(**scale["settings"]), Measured(**scale["measured"]))
    rows = [(limit.name, f"{limit.ceiling_orders_per_second:,.0f}", limit.setting) for limit in found]
    return markdown_table(("ceiling (lowest first)", "orders/s", "moved by"), rows)


def _ran_on(machine: dict[str, Any]) -> str:
    return (
        f"Run {machine['date (UTC)']} UTC at commit {machine['commit']}, {machine['cpu']}, load average "
        f"{machine['load average at start (1/5/15 min)']}."
    )


def _fuzz(fuzz: Results) -> str:
    cases = fuzz["test_cases"]
    rows = [
        ("schemathesis", f"{fuzz['schemathesis']}, every check, seed {fuzz['seed']}"),
        ("examples per operation", f"{fuzz['max_examples']} ({fuzz['operations_tested']} operations)"),
        ("test cases generated", f"{cases['generated']:,}"),
        (
            "with failures / unique failures / errored",
            f"{cases['with_failures']} / {cases['unique_failures']} / {cases['errored']}",
        ),
        ("phases", ", ".join(f"{name} {status}" for name, status in fuzz["phases"].items())),
        ("running time", f"{fuzz['running_seconds']} s"),
    ]
    return markdown_table(("`make fuzz`", ""), rows) + "\n\n" + _ran_on(fuzz["machine"])


def _load(load: Results) -> str:
    summary = load["summary"]
    headers = (
        "run",
        "orders sent",
        "accepted",
        "decided",
        "lost",
        "decided twice",
        "not ours",
        "non-202 answers",
        "POST p50 / p99 ms",
        "POST to decided p50 / p99 ms",
        "accepted/s",
        "end to end/s",
    )
    row = (
        f"`make load`, {load['orders']} orders, {load['clients']} clients",
        summary["orders_sent"],
        summary["orders_accepted"],
        summary["orders_stored"],
        summary["lost"],
        summary["duplicated"],
        summary["unexpected"],
        summary["non_202_answers"],
        f"{summary['post_p50_ms']} / {summary['post_p99_ms']}",
        f"{summary.get('final_p50_ms', '-')} / {summary.get('final_p99_ms', '-')}",
        summary["accept_rate_per_s"],
        summary["end_to_end_rate_per_s"],
    )
    text = markdown_table(headers, [row])
    if "throughput_by_queue_depth" in load:
        depth = [(r["queue_depth"], r["seconds"], r["decided_per_s"]) for r in load["throughput_by_queue_depth"]]
        text += "\n\n" + markdown_table(("queue depth (messages)", "seconds at that depth", "decided/s"), depth)
    return text + "\n\n" + _ran_on(load["machine"])


def render(text: str, bench: Results, scale: Results) -> str:
    """`text` with every generated block rewritten; raises KeyError for a block name with no renderer."""
    return _BLOCK.sub(lambda match: match[1] + BLOCKS[match["name"]](bench, scale) + match[4], text)


def blocks(text: str) -> dict[str, str]:
    """name -> body of each generated block in `text`."""
    return {match["name"]: match["body"] for match in _BLOCK.finditer(text)}


def committed_results() -> tuple[Results, Results]:
    return json.loads(BENCH_RESULTS.read_text()), json.loads(SCALE_RESULTS.read_text())


def write(docs: tuple[Path, ...] = DOCS) -> None:
    """Rewrite the generated blocks of `docs` from the results in bench/results/."""
    bench, scale = committed_results()
    for doc in docs:
        doc.write_text(render(doc.read_text(), bench, scale))


if __name__ == "__main__":
    write()
    print("rewrote the generated blocks of " + ", ".join(str(doc.relative_to(REPO_ROOT)) for doc in DOCS))
