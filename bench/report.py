"""Markdown tables from a results dict: printed by `make bench` and written to bench/results/latest.md,
from where docs/performance.md takes them."""

from __future__ import annotations

from typing import Any

from bench.scale_model import Settings
from bench.stats import Summary, markdown_table

KB = 1024


def _fmt(summary: dict[str, Any], digits: int = 0) -> str:
    return Summary(**summary).format(digits)


def machine(info: dict[str, Any]) -> str:
    return markdown_table(("machine", ""), list(info.items()))


def coldstart(results: dict[str, Any]) -> str:
    rows = []
    for entry in results["variants"].values():
        rows.append(
            (
                entry["label"],
                _fmt(entry["total_ms"]),
                _fmt(entry["init_ms"]) if "init_ms" in entry else "",
                _fmt(entry["invoke_ms"]) if "invoke_ms" in entry else "",
                _fmt(entry["ratio"], 2) if "ratio" in entry else "",
                _fmt(entry["cpu_ms"]),
                _fmt(entry["cpu_ratio"], 2) if "cpu_ratio" in entry else "",
            )
        )
    headers = (
        "cold start, median (min-max)",
        "total ms",
        "init ms (start + import)",
        "first event ms",
        "x baseline",
        "CPU ms",
        "x baseline (CPU)",
    )
    notes = results["packaged"]
    host = ", ".join(notes["host_builds_of"])
    swapped = f"; this machine's build of {host} replaces the arm64 one (same version)" if host else ""
    return markdown_table(headers, rows) + (
        f"\n\n{results['runs']} runs each, interleaved; ratios are per round, against the baseline of the same round "
        f"and layout. *packaged*: the zips of `sls package --stage {notes['stage']}` unpacked read-only as Lambda "
        f"lays them out, the runtime's boto3 after /opt/python{swapped}."
    )


def import_profile(results: dict[str, Any], top: int = 8) -> str:
    sections = []
    for key, profile in results["import_profile_ms"].items():
        label = results["variants"][key]["label"]
        direct = list(profile["direct"].items())[:top]
        packages = list(profile["packages"].items())[:top]
        rows = [
            (
                f"`{direct[i][0]}` {direct[i][1]:.0f}" if i < len(direct) else "",
                f"`{packages[i][0]}` {packages[i][1]:.0f}" if i < len(packages) else "",
            )
            for i in range(max(len(direct), len(packages)))
        ]
        total = sum(profile["packages"].values())
        headers = ("imports the handler makes (cumulative ms)", "self time by package (ms)")
        sections.append(f"**{label}**: {total:.0f} ms of imports in all\n\n" + markdown_table(headers, rows))
    return "\n\n".join(sections)


def warm(results: dict[str, Any]) -> str:
    labels = {
        "api_post": "api: POST /orders",
        "api_post_key": "api: POST /orders with Idempotency-Key",
        "api_get": "api: GET /orders/{orderId}",
        "processor_record": "processor: one record of a batch of 10",
    }
    rows = [(label, _fmt(results["own"][key], 3), _fmt(results["botocore"][key], 3)) for key, label in labels.items()]
    headers = ("warm request, median (min-max) ms", "our code (stub clients)", "+ botocore (answered in-process)")
    return markdown_table(headers, rows)


def aws_calls(calls: dict[str, Any], costs: dict[str, Any]) -> str:
    names = sorted(set(calls["without_key"]["calls_per_order"]) | set(calls["with_key"]["calls_per_order"]))
    rows = [
        (
            name,
            f"{calls['without_key']['calls_per_order'].get(name, 0):g}",
            f"{calls['with_key']['calls_per_order'].get(name, 0):g}",
        )
        for name in names
    ]
    rows.append(
        (
            "**DynamoDB writes**",
            f"**{costs['without_key']['dynamodb_writes_per_order']:g}**",
            f"**{costs['with_key']['dynamodb_writes_per_order']:g}**",
        )
    )
    first = ", ".join(f"{name} {count}" for name, count in calls["first_batch_calls"].items())
    headers = (f"AWS requests per order (batch size {calls['batch_size']})", "no key", "with key")
    table = markdown_table(headers, rows)
    sizes = ", ".join(f"{table_} {size} B" for table_, size in calls["largest_item_bytes"].items())
    return f"{table}\n\nFirst batch in new containers: {first}. Largest items: {sizes}."


def cost(costs: dict[str, Any]) -> str:
    lines = costs["without_key"]["usd_per_million_orders"]
    rows = [
        (
            f"**{name}**" if name == "total" else name,
            f"{costs['without_key']['usd_per_million_orders'][name]:.3f}",
            f"{costs['with_key']['usd_per_million_orders'][name]:.3f}",
        )
        for name in lines
    ]
    usage = costs["without_key"]["usage_per_order"]
    billed = costs["without_key"]["billed_ms"], costs["with_key"]["billed_ms"]
    note = (
        f"Per order: {usage['lambda_invocations']:g} invocations, {usage['sqs_requests']:g} SQS requests, "
        f"{usage['log_bytes']:.0f} log bytes; billed ms per API invocation {billed[0]['api_invocation']} "
        f"(with key {billed[1]['api_invocation']}), per processor batch {billed[0]['processor_batch']}."
    )
    return markdown_table(("USD per million orders", "no key", "with key"), rows) + "\n\n" + note


def package(results: dict[str, Any]) -> str:
    rows = [
        (
            name,
            f"{a['zipped_bytes'] / KB:.1f}",
            f"{a['unzipped_bytes'] / KB:.1f}",
            a["files"],
            a["py_files"],
            a["pyc_files"],
        )
        for name, a in results["artifacts"].items()
    ]
    headers = ("artifact", "zipped KB", "unzipped KB", "files", ".py files", ".pyc files")
    table = markdown_table(headers, rows)
    parts = results["artifacts"]["pythonRequirements"]["parts_unzipped_bytes"]
    layer = ", ".join(f"{name} {size / KB:.0f} KB" for name, size in list(parts.items())[:7])
    runtime = ", ".join(results["runtime_packages_in_layer"]) or "none"
    return (
        f"{table}\n\nDependencies layer, unzipped: {layer}; of Powertools, Swagger UI assets "
        f"{results['swagger_ui_bytes'] / KB:.0f} KB. boto3/botocore/s3transfer in the layer: {runtime}."
    )


def local_stack(results: dict[str, Any]) -> str:
    rows = [
        (
            clients,
            _fmt(entry["orders_per_second"], 1),
            _fmt(entry["p50_ms"]),
            _fmt(entry["p99_ms"]),
            _fmt(entry["post_p50_ms"], 1),
            _fmt(entry["orders"]),
        )
        for clients, entry in results["by_clients"].items()
    ]
    headers = ("clients", "orders/s (POST to CONFIRMED)", "p50 ms", "p99 ms", "POST p50 ms", "orders per round")
    first, most = results["poll_seconds"]
    text = markdown_table(headers, rows) + (
        f"\n\n{results['round_seconds']:g} s rounds; clients poll GET after {first * 1000:g} ms, backing off "
        f"to every {most * 1000:g} ms."
    )
    if "goal_run" in results:
        text += "\n\n" + goal_run(results["goal_run"])
    return text


def goal_run(run: dict[str, Any]) -> str:
    """`make load`'s scenario in the same stack: orders/s end to end against the goal, and by queue depth."""
    summary = run["summary"]
    rows = [
        (
            f"{run['orders']} orders, {run['clients']} clients",
            f"{summary['end_to_end_rate_per_s']} (goal {run['goal_orders_per_second']})",
            summary["accept_rate_per_s"],
            f"{summary['final_p50_ms']} / {summary['final_p99_ms']}",
            f"{summary['post_p50_ms']} / {summary['post_p99_ms']}",
            summary["max_queue_depth"],
            f"{summary['lost']} / {summary['duplicated']} / {summary['unexpected']}",
        )
    ]
    headers = (
        "run",
        "orders/s end to end",
        "accepted/s",
        "POST to decided p50 / p99 ms",
        "POST p50 / p99 ms",
        "deepest queue",
        "lost / twice / not ours",
    )
    depth = [(row["queue_depth"], row["seconds"], row["decided_per_s"]) for row in run["throughput_by_queue_depth"]]
    by_depth = markdown_table(("queue depth (messages)", "seconds at that depth", "decided/s"), depth)
    return markdown_table(headers, rows) + "\n\n" + by_depth + cpu_per_order(run)


def cpu_per_order(run: dict[str, Any]) -> str:
    """The goal run's CPU ms per decided order by process role, and how busy the whole machine was."""
    cpu = run.get("cpu_ms_per_decided_order")
    if not cpu:  # results recorded before the run measured CPU
        return ""
    summary = run["summary"]
    table = markdown_table(
        ("CPU per decided order, by process", "ms"), [(role, f"{ms:.1f}") for role, ms in cpu.items()]
    )
    return (
        f"\n\n{table}\n\nUser + system CPU time from the first POST until every order was decided "
        f"(`scripts/stack_cpu.py`); the whole machine was {summary['busy_cpus']} of {summary['cpus']} CPUs busy "
        "on average meanwhile."
    )


def goals(results: dict[str, Any]) -> str:
    rows: list[tuple[str, str, str]] = []
    coldstart = results.get("coldstart", {})
    variants = coldstart.get("variants", {})
    for key, (venv, limit) in coldstart.get("goals", {}).items():
        ratio, cpu = variants[key]["ratio"]["median"], variants[key]["cpu_ratio"]["median"]
        beside = variants[venv]["ratio"]["median"]
        measured = f"{ratio:.2f}x (CPU time {cpu:.2f}x); in the venv {beside:.2f}x"
        rows.append((f"{variants[key]['label']} <= {limit}x baseline", measured, _met(ratio <= limit)))
    if "warm" in results:
        worst = max(entry["median"] for entry in results["warm"]["own"].values())
        rows.append(("warm: our code < 1 ms per request", f"{worst:.3f} ms at most", _met(worst < 1)))
    for scenario in ("without_key", "with_key"):
        if scenario in results.get("costs", {}):
            writes = results["costs"][scenario]["dynamodb_writes_per_order"]
            rows.append((f"<= 2 DynamoDB writes per order ({scenario})", f"{writes:g}", _met(writes <= 2)))
    if "package" in results:
        artifacts = results["package"]["artifacts"]
        largest = max(artifacts[name]["unzipped_bytes"] for name in ("api", "processor"))
        rows.append(("function packages < 100 KB", f"{largest / KB:.1f} KB unzipped", _met(largest < 100 * KB)))
        uncompiled = sum(a["py_files"] - a["pyc_files"] for a in artifacts.values())
        rows.append(("every .py shipped with its .pyc", f"{uncompiled} without", _met(uncompiled == 0)))
        runtime = results["package"]["runtime_packages_in_layer"]
        rows.append(("no boto3/botocore copy in the layer", ", ".join(runtime) or "none", _met(not runtime)))
    run = results.get("local_stack", {}).get("goal_run")
    if run:
        rate, goal = run["summary"]["end_to_end_rate_per_s"], run["goal_orders_per_second"]
        exact = not (run["summary"]["lost"] or run["summary"]["duplicated"] or run["summary"]["unexpected"])
        label = f"local stack >= {goal} orders/s end to end ({run['orders']} orders, {run['clients']} clients)"
        rows.append(
            (label, f"{rate} orders/s, each stored once: {'yes' if exact else 'no'}", _met(rate >= goal and exact))
        )
    return markdown_table(("goal", "measured (median)", ""), rows)


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def scale_table(rows: list[dict[str, Any]], settings: Settings) -> str:
    """`make scale`'s table: one row per modelled rate (bench/scale_model.py), then the template settings used."""

    def cell(row: dict[str, Any], key: str) -> str:
        return f"{row[key]:,}"

    lines = [
        "| orders/s | API concurrency (scale-up) | processor concurrency (scale-up) | DynamoDB WRU/s | "
        "today: admitted/s, backlog growth/s | first limit hit | setting that moves it, then next ceiling | "
        "$/hour | $/month |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        first, moved = row["first_limit_hit"], row["next_ceiling_once_moved"]
        limit = f"{first['name']} ({first['ceiling_orders_per_second']:,.0f}/s)" if first else "none"
        fix = (
            f"{first['setting']}; then {moved['name']} ({moved['ceiling_orders_per_second']:,.0f}/s)"
            if first and moved
            else (first["setting"] if first else "")
        )
        lines.append(
            f"| {row['orders_per_second']:,.0f} | {cell(row, 'api_concurrency_needed')} "
            f"({row['api_seconds_to_scale']} s) | {cell(row, 'processor_concurrency_needed')} "
            f"({row['processor_minutes_to_scale']} min) | {cell(row, 'dynamodb_write_units_per_second')} | "
            f"{row['admitted_per_second_today']:,.0f}, {row['queue_backlog_growth_per_second_today']:,.1f} | "
            f"{limit} | {fix} | {row['usd_per_hour']['total']:,.2f} | {row['usd_per_month']['total']:,} |"
        )
    config = ", ".join(f"{name} {value}" for name, value in vars(settings).items())
    return "\n".join(lines) + f"\n\nTemplate settings: {config}."
