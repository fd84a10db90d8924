"""`make bench`: the benchmarks behind docs/performance.md. Prints each table as it is measured and writes
bench/results/latest.json (every figure) and bench/results/latest.md (the tables).

    python -m bench                        # everything, a few minutes on 2 cores
    python -m bench coldstart warm         # some sections: coldstart warm costs package local_stack

Nothing here reaches AWS: every process binds to 127.0.0.1 on a free port and is stopped by the code that
started it.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from bench import aws_calls, coldstart, docs, local_stack, package_size, report, warm
from bench.environment import RESULTS_DIR, local_aws
from scripts.run_record import machine

SECTIONS = ("coldstart", "warm", "costs", "package", "local_stack")


def measure(section: str, results: dict[str, Any]) -> str:
    """Run one section into `results`; returns its tables."""
    if section == "coldstart":
        with local_aws() as aws:
            results["coldstart"] = coldstart.measure(aws)
        return report.coldstart(results["coldstart"]) + "\n\n" + report.import_profile(results["coldstart"])
    if section == "warm":
        results["warm"] = warm.measure()
        return report.warm(results["warm"])
    if section == "costs":
        with local_aws() as aws:
            results["aws_calls"] = aws_calls.measure(aws)
        results["costs"] = {
            scenario: aws_calls.costs(results["aws_calls"], results["warm"], scenario)
            for scenario in ("without_key", "with_key")
        }
        return report.aws_calls(results["aws_calls"], results["costs"]) + "\n\n" + report.cost(results["costs"])
    if section == "package":
        with local_aws() as aws:
            results["package"] = package_size.measure(aws.endpoint)
        return report.package(results["package"])
    results["local_stack"] = local_stack.measure()
    return report.local_stack(results["local_stack"])


def run(sections: list[str]) -> tuple[dict[str, Any], list[str]]:
    results: dict[str, Any] = {"machine": machine()}
    tables = ["## Machine\n\n" + report.machine(results["machine"])]
    print(tables[0], flush=True)
    wanted = set(sections) | ({"warm"} if "costs" in sections else set())  # billed duration needs warm figures
    for section in SECTIONS:
        if section in wanted:
            started = time.monotonic()
            text = measure(section, results)
            tables.append(f"## {section} ({time.monotonic() - started:.0f} s)\n\n{text}")
            print("\n" + tables[-1], flush=True)
    tables.append("## Goals\n\n" + report.goals(results))
    print("\n" + tables[-1], flush=True)
    return results, tables


def main() -> None:
    sections = sys.argv[1:] or list(SECTIONS)
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise SystemExit(f"unknown section(s) {sorted(unknown)}; choose from {', '.join(SECTIONS)}")
    results, tables = run(sections)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS_DIR / "latest.md").write_text("\n\n".join(tables) + "\n")
    print(f"\nwrote {RESULTS_DIR / 'latest.json'} and latest.md", flush=True)
    if set(sections) == set(SECTIONS):  # a partial run cannot fill every table of the docs
        docs.write()
        print("rewrote the generated tables of docs/performance.md and docs/scaling.md", flush=True)


if __name__ == "__main__":
    main()
