"""`make load`'s CPU accounting (scripts/stack_cpu.py): whose processes spent the CPU an order costs."""

from __future__ import annotations

import os
import subprocess
import sys

from scripts.stack_cpu import ENDED, OTHER, MachineCpu, ProcessCpu, cpu_seconds_by_role, role_of, snapshot

RUNNER = "/work/node_modules/serverless-offline/src/lambda/handler-runner/python-runner/invoke.py"


def test_each_process_of_the_stack_is_named_by_its_command_line():
    assert role_of(["/repo/.venv/bin/python", "-m", "scripts.local_moto_server", "-H", "127.0.0.1"]) == "moto server"
    assert role_of(["python3", "-u", RUNNER, "services/api/handler", "lambda_handler"]) == "api: Python runners"
    assert role_of(["python3", "-u", RUNNER, "services/processor/handler", "lambda_handler"]) == (
        "processor: Python runners"
    )
    assert role_of(["node", "/repo/node_modules/.bin/sls", "offline", "start"]) == "serverless-offline (node)"
    assert role_of(["/repo/.venv/bin/python", "-m", "scripts.dev"]) == OTHER


def test_cpu_is_counted_from_the_first_snapshot_and_a_new_process_from_zero():
    before = {1: ProcessCpu("moto server", 10.0, 0.0), 2: ProcessCpu("api: Python runners", 1.0, 0.0)}
    after = {
        1: ProcessCpu("moto server", 12.5, 0.0),
        2: ProcessCpu("api: Python runners", 1.5, 0.0),
        3: ProcessCpu("api: Python runners", 0.25, 0.0),
    }

    assert cpu_seconds_by_role(before, after) == {"moto server": 2.5, "api: Python runners": 0.75}


def test_a_process_that_ended_meanwhile_counts_what_it_spent_after_the_first_snapshot():
    # serverless-offline (node, pid 1) stops an idle runner (pid 2) and reaps it: its 3 s of CPU, 1 s of which
    # the first snapshot had seen, show in node's reaped time.
    before = {1: ProcessCpu("serverless-offline (node)", 5.0, 0.0), 2: ProcessCpu("api: Python runners", 1.0, 0.0)}
    after = {1: ProcessCpu("serverless-offline (node)", 6.0, 3.0)}

    assert cpu_seconds_by_role(before, after) == {"serverless-offline (node)": 1.0, ENDED: 2.0}


def test_a_snapshot_finds_the_cpu_time_of_processes_below_the_root():
    work = "sum(x * x for x in range(2_000_000)); print('done', flush=True); input()"
    child = subprocess.Popen([sys.executable, "-c", work], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "done\n"
        found = snapshot(os.getpid())
    finally:
        child.kill()
        child.wait()

    assert found[child.pid].role == OTHER
    assert found[child.pid].own_seconds > 0.02  # two million squares take far more CPU than 20 ms


def test_the_machine_counts_busy_time_on_every_cpu():
    before = MachineCpu.now()
    sum(x * x for x in range(500_000))
    after = MachineCpu.now()

    assert after.cpus >= 1
    assert after.busy_seconds > before.busy_seconds
    assert after.at > before.at


def test_busy_cpus_are_busy_seconds_per_second_between_two_readings():
    earlier = MachineCpu(busy_seconds=100.0, at=50.0, cpus=2)

    assert MachineCpu(busy_seconds=103.0, at=52.0, cpus=2).busy_cpus_since(earlier) == 1.5
    assert MachineCpu(busy_seconds=100.0, at=50.0, cpus=2).busy_cpus_since(earlier) == 0.0
