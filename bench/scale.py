"""`make scale`: run the scale model for a stage's packaged template and print, save and chart it.

    python -m bench.scale                      # prod, at 100, 1,000 and 10,000 orders/s
    python -m bench.scale --stage dev 50 2500  # any stage, any rates

Writes bench/results/scale.json and scale.md, and the chart docs/scaling.png. The measured durations and
per-order requests come from bench/results/latest.json; without it, `python -m bench warm costs` runs first.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from pathlib import Path

from bench import docs, report
from bench.environment import RESULTS_DIR
from bench.quotas import HOURS_PER_MONTH
from bench.scale_model import (
    Measured,
    Settings,
    concurrency_needed,
    measured_from_bench,
    model,
    settings_from_template,
)
from scripts.processes import BIN, REPO_ROOT, aws_environment, moto_server, sls

DEFAULT_RATES = (100.0, 1_000.0, 10_000.0)
CHART = REPO_ROOT / "docs" / "scaling.png"


def packaged_settings(stage: str) -> Settings:
    with tempfile.TemporaryDirectory(prefix="scale-") as output, moto_server() as endpoint:
        sls(["package", "--stage", stage, "--package", output], aws_environment(endpoint))
        template = json.loads((Path(output) / "cloudformation-template-update-stack.json").read_text())
    return settings_from_template(template)


def bench_measurements() -> Measured:
    latest = RESULTS_DIR / "latest.json"
    if not latest.exists() or "costs" not in json.loads(latest.read_text()):
        subprocess.run([str(BIN / "python"), "-m", "bench", "warm", "costs"], cwd=REPO_ROOT, check=True)
    return measured_from_bench(json.loads(latest.read_text()))


def chart(settings: Settings, measured: Measured, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    rates = [10 * 1.2**step for step in range(44)]  # 10 to about 30,000 orders/s
    monthly = [measured.usd_per_million_orders["total"] / 1e6 * rate * 3600 * HOURS_PER_MONTH for rate in rates]
    figure, (cost_axis, concurrency_axis) = plt.subplots(1, 2, figsize=(11, 4.2))
    cost_axis.loglog(rates, monthly, color="#6b3410")
    cost_axis.set(title="Cost per month (USD)", xlabel="orders per second")
    api = [concurrency_needed(rate, measured.api_invocation_ms) for rate in rates]
    processor = [concurrency_needed(rate / settings.batch_size, measured.processor_batch_ms) for rate in rates]
    concurrency_axis.loglog(rates, api, label="api")
    concurrency_axis.loglog(rates, processor, label="processor")
    concurrency_axis.axhline(1000, color="grey", linestyle="--", linewidth=1, label="default account quota")
    concurrency_axis.set(title="Concurrent executions needed", xlabel="orders per second")
    concurrency_axis.legend()
    for axis in (cost_axis, concurrency_axis):
        axis.grid(True, which="both", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rates", nargs="*", type=float, default=list(DEFAULT_RATES))
    parser.add_argument("--stage", default="prod")
    args = parser.parse_args()
    settings = packaged_settings(args.stage)
    measured = bench_measurements()
    rows = [model(rate, settings, measured) for rate in args.rates]
    text = report.scale_table(rows, settings)
    print(text)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    result = {"stage": args.stage, "settings": vars(settings), "measured": vars(measured), "rates": rows}
    (RESULTS_DIR / "scale.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS_DIR / "scale.md").write_text(text + "\n")
    chart(settings, measured, CHART)
    print(f"\nwrote {RESULTS_DIR / 'scale.json'}, scale.md and {CHART}")
    if args.stage == "prod" and list(args.rates) == list(DEFAULT_RATES):  # the run docs/scaling.md shows
        docs.write()
        print("rewrote the generated tables of docs/performance.md and docs/scaling.md")


if __name__ == "__main__":
    main()
