"""Cold start of each Lambda against moto server, with its baselines measured in the same run.

Each run is a fresh `python` process: interpreter start, handler import (Lambda's init phase) and the first
event, whose AWS calls really go over HTTP to moto server. Variants are interleaved run by run, so that
machine noise hits baselines and handlers alike. `-X importtime` then shows what the imports cost.

Two layouts: the development virtualenv (every module has its .pyc) and what is deployed, the zips of
`sls package` unpacked as Lambda lays them out (bench/packaged.py), with the baselines laid out the same
way. The goals are judged on the packaged rows.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import packaged
from bench.environment import LocalAws
from bench.events import batch_event, post_event
from bench.stats import summarise
from scripts.processes import BIN, REPO_ROOT

PROBE = REPO_ROOT / "bench" / "probe.py"
API = "services.api.handler:lambda_handler"
PROCESSOR = "services.processor.handler:lambda_handler"
BASELINES = "bench.baselines"
EXPANDED_PACKAGES = {"aws_lambda_powertools", "pydantic", "botocore"}


@dataclass(frozen=True)
class Variant:
    key: str
    label: str
    target: str | None  # MODULE:FUNCTION; None is bare `python -c pass`
    event: Callable[[], dict[str, Any]] | None = None
    baseline: str | None = None  # the key of the boto3 baseline it is compared with
    layout: str | None = None  # a bench.packaged layout name; None is the development virtualenv


def _one_record() -> dict[str, Any]:
    return batch_event(1)


def _keyed_post() -> dict[str, Any]:
    return post_event(f"bench-{uuid.uuid4()}")


VARIANTS = (
    Variant("python_pass", "`python -c pass`", None),
    Variant("boto3_sqs", "baseline: boto3, SQS client, SendMessage", f"{BASELINES}.api_sqs:handler", post_event),
    Variant(
        "boto3_dynamodb",
        "baseline: boto3, DynamoDB client, PutItem",
        f"{BASELINES}.processor_dynamodb:handler",
        _one_record,
    ),
    Variant(
        "botocore_sqs",
        "context: botocore (no boto3), SQS client, SendMessage",
        f"{BASELINES}.botocore_sqs:handler",
        post_event,
        "boto3_sqs",
    ),
    Variant(
        "boto3_s3_dynamodb",
        "context: boto3, S3 + DynamoDB clients, GetObject + PutItem",
        f"{BASELINES}.processor_s3_dynamodb:handler",
        _one_record,
        "boto3_dynamodb",
    ),
    Variant("api_post", "api: POST /orders", API, post_event, "boto3_sqs"),
    Variant("api_post_key", "api: POST /orders with Idempotency-Key", API, _keyed_post, "boto3_sqs"),
    Variant("processor", "processor: SQS batch of 1", PROCESSOR, _one_record, "boto3_dynamodb"),
)
# What is deployed: `sls package`'s zips unpacked as in Lambda, and the baselines laid out the same way.
PACKAGED_VARIANTS = (
    Variant(
        "boto3_sqs_packaged",
        "packaged baseline: boto3, SQS client, SendMessage",
        f"{BASELINES}.api_sqs:handler",
        post_event,
        layout="baselines",
    ),
    Variant(
        "boto3_dynamodb_packaged",
        "packaged baseline: boto3, DynamoDB client, PutItem",
        f"{BASELINES}.processor_dynamodb:handler",
        _one_record,
        layout="baselines",
    ),
    Variant("api_post_packaged", "packaged api: POST /orders", API, post_event, "boto3_sqs_packaged", "api"),
    Variant(
        "api_post_key_packaged",
        "packaged api: POST /orders with Idempotency-Key",
        API,
        _keyed_post,
        "boto3_sqs_packaged",
        "api",
    ),
    Variant(
        "processor_packaged",
        "packaged processor: SQS batch of 1",
        PROCESSOR,
        _one_record,
        "boto3_dynamodb_packaged",
        "processor",
    ),
    # The same zips without their .pyc: what was deployed before plugins/compile-bytecode.js.
    Variant(
        "api_post_no_pyc",
        "packaged api: POST /orders, zips without .pyc",
        API,
        post_event,
        "boto3_sqs_packaged",
        "api_no_pyc",
    ),
    Variant(
        "processor_no_pyc",
        "packaged processor: batch of 1, zips without .pyc",
        PROCESSOR,
        _one_record,
        "boto3_dynamodb_packaged",
        "processor_no_pyc",
    ),
)
# Goals: packaged variant -> (its virtualenv twin, the most it may take as a multiple of its baseline).
GOALS = {"api_post_packaged": ("api_post", 1.3), "api_post_key_packaged": ("api_post_key", 1.3)}
GOALS["processor_packaged"] = ("processor", 1.2)
PROFILED = ("boto3_sqs_packaged", "api_post_packaged", "boto3_dynamodb_packaged", "processor_packaged")


@dataclass(frozen=True)
class Sample:
    total_ms: float
    cpu_ms: float  # user + system CPU of the process: what other load on the machine disturbs least
    init_ms: float | None = None  # process start to handler imported (Lambda's init phase)
    invoke_ms: float | None = None  # the first event
    stderr: str = ""


def _cpu_seconds() -> float:
    """CPU used by this process's finished children; runs are one at a time, so a difference is one run's."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(variant: Variant, env: dict[str, str], flags: tuple[str, ...], workdir: Path) -> Sample:
    """One cold start of `variant` in a fresh interpreter started with `flags` (and `-P`)."""
    cpu_before = _cpu_seconds()
    if variant.target is None:
        started = time.monotonic()
        subprocess.run([str(BIN / "python"), "-c", "pass"], env=env, check=True)
        return Sample(total_ms=(time.monotonic() - started) * 1000, cpu_ms=(_cpu_seconds() - cpu_before) * 1000)
    if variant.event is None:
        raise ValueError(f"{variant.key} has a handler but no event")
    event_file = workdir / f"{variant.key}.json"
    event_file.write_text(json.dumps(variant.event()))
    # -P: the probe's folder (bench/) must not shadow anything on sys.path.
    argv = [str(BIN / "python"), "-P", *flags, str(PROBE), variant.target, str(event_file)]
    started = time.monotonic()
    completed = subprocess.run(argv, env=env, cwd=workdir, capture_output=True, text=True, timeout=60, check=False)
    lines = [line for line in completed.stdout.splitlines() if line.startswith("BENCH-PROBE ")]
    if completed.returncode != 0 or not lines:
        raise RuntimeError(f"{variant.key} failed:\n{completed.stdout}\n{completed.stderr}")
    report = json.loads(lines[-1].removeprefix("BENCH-PROBE "))
    if report["outcome"] not in (202, 0):  # 202 accepted, or no batchItemFailures
        raise RuntimeError(f"{variant.key} answered {report['outcome']}:\n{completed.stdout}")
    return Sample(
        total_ms=(report["served"] - started) * 1000,
        cpu_ms=(_cpu_seconds() - cpu_before) * 1000,
        init_ms=(report["imported"] - started) * 1000,
        invoke_ms=(report["served"] - report["imported"]) * 1000,
        stderr=completed.stderr,
    )


def import_profile(stderr: str, module: str) -> dict[str, dict[str, float]]:
    """From `-X importtime` output, in ms: self time summed per package (the stdlib as one group), and the
    cumulative time of each import the handler module makes itself."""
    packages: dict[str, float] = defaultdict(float)
    direct: dict[str, float] = {}
    pending: dict[str, float] = {}
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        _, self_us, cumulative_us, raw_name = line.replace("import time:", "|").split("|")
        name = raw_name.strip()
        depth = (len(raw_name) - len(raw_name.lstrip()) - 1) // 2
        parts = name.split(".")
        if name == module:  # its top-level code: for the baselines, the client they create at import
            group = "(handler module's own code)"
        elif parts[0] in sys.stdlib_module_names or parts[0].startswith("_"):
            group = "(stdlib)"
        elif parts[0] in EXPANDED_PACKAGES:
            group = ".".join(parts[:2])
        else:
            group = parts[0]
        packages[group] += int(self_us) / 1000
        if depth == 1:
            pending[name] = int(cumulative_us) / 1000
        elif depth == 0:
            if name == module:
                direct = pending
            pending = {}
    return {"packages": dict(packages), "direct": direct}


def _summaries(samples: list[Sample]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "total_ms": summarise(s.total_ms for s in samples).as_dict(),
        "cpu_ms": summarise(s.cpu_ms for s in samples).as_dict(),
    }
    if samples[0].init_ms is not None:
        result["init_ms"] = summarise(s.init_ms or 0.0 for s in samples).as_dict()
        result["invoke_ms"] = summarise(s.invoke_ms or 0.0 for s in samples).as_dict()
    return result


def _environments(
    env: dict[str, str], layouts: dict[str, packaged.Layout]
) -> dict[str | None, tuple[dict[str, str], tuple[str, ...]]]:
    """layout name -> (environment, interpreter flags); None is the virtualenv."""
    found: dict[str | None, tuple[dict[str, str], tuple[str, ...]]] = {None: (env, ())}
    for name, layout in layouts.items():
        # PYTHONDONTWRITEBYTECODE: the layout is read-only, but this may run as root, who writes anyway.
        layout_env = {**env, "PYTHONPATH": layout.pythonpath, "PYTHONDONTWRITEBYTECODE": "1"}
        found[name] = (layout_env, packaged.FLAGS)
    return found


def measure(aws: LocalAws, runs: int = 15, profile_runs: int = 5) -> dict[str, Any]:
    """Every variant `runs` times in interleaved rounds (after one untimed round), then `profile_runs`
    `-X importtime` runs of PROFILED. Figures in ms; ratios per round against the baseline of that round."""
    samples: dict[str, list[Sample]] = defaultdict(list)
    profiles: dict[str, list[dict[str, dict[str, float]]]] = defaultdict(list)
    variants = (*VARIANTS, *PACKAGED_VARIANTS)
    by_key = {variant.key: variant for variant in variants}
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as temp:
        workdir = Path(temp)
        layouts, notes = packaged.build(workdir / "packaged", aws.endpoint)
        environments = _environments(aws.environment(), layouts)
        try:
            for round_ in range(runs + 1):  # round 0 is untimed: page cache and the venv's .pyc in place
                for variant in variants:
                    sample = run_once(variant, *environments[variant.layout], workdir)
                    if round_:
                        samples[variant.key].append(sample)
            for _ in range(profile_runs):
                for key in PROFILED:
                    variant = by_key[key]
                    module = (variant.target or "").split(":")[0]
                    env, flags = environments[variant.layout]
                    stderr = run_once(variant, env, (*flags, "-X", "importtime"), workdir).stderr
                    profiles[key].append(import_profile(stderr, module))
            if packaged.fingerprint(workdir / "packaged") != notes["files"]:
                raise RuntimeError("a run wrote into the packaged layout: its figures are not Lambda's")
        finally:
            packaged.writable(workdir / "packaged")
    results: dict[str, Any] = {"runs": runs, "packaged": notes, "variants": {}, "goals": GOALS}
    for variant in variants:
        variant_samples = samples[variant.key]
        entry = {"label": variant.label, **_summaries(variant_samples), "baseline": variant.baseline}
        if variant.baseline:
            pairs = list(zip(variant_samples, samples[variant.baseline], strict=True))
            entry["ratio"] = summarise(sample.total_ms / base.total_ms for sample, base in pairs).as_dict()
            entry["cpu_ratio"] = summarise(sample.cpu_ms / base.cpu_ms for sample, base in pairs).as_dict()
        results["variants"][variant.key] = entry
    results["import_profile_ms"] = {
        key: {part: _medians([profile[part] for profile in runs_]) for part in ("packages", "direct")}
        for key, runs_ in profiles.items()
    }
    return results


def _medians(profiles: list[dict[str, float]]) -> dict[str, float]:
    groups = {group for profile in profiles for group in profile}
    medians = {group: summarise(profile.get(group, 0.0) for profile in profiles).median for group in groups}
    return dict(sorted(medians.items(), key=lambda item: -item[1]))
