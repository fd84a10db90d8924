"""One cold start: run as `python bench/probe.py MODULE:FUNCTION EVENT.json` in a fresh process.

It imports the handler module (Lambda's init phase), serves one event (the first invoke), prints one
`BENCH-PROBE {...}` line with CLOCK_MONOTONIC timestamps (system-wide on Linux, so comparable with the
parent's) and exits without interpreter teardown, as a frozen Lambda sandbox would. It imports nothing
beyond what Lambda's own runtime loop has loaded anyway (json, os, sys, time).
"""

import json
import os
import sys
import time

started = time.monotonic()


class Context:
    function_name = "orders-bench"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:orders-bench"
    aws_request_id = "bench-cold-start"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


def main() -> None:
    target, event_file = sys.argv[1], sys.argv[2]
    module_name, function_name = target.split(":")
    with open(event_file, encoding="utf-8") as handle:
        event = json.load(handle)
    before_import = time.monotonic()
    # __import__, not importlib.import_module: only imports made through the import statement's machinery
    # are reported by `-X importtime`, and the handler module's own line is the one the profile looks for.
    __import__(module_name)
    handler = getattr(sys.modules[module_name], function_name)
    imported = time.monotonic()
    result = handler(event, Context())
    served = time.monotonic()
    outcome = result.get("statusCode", len(result.get("batchItemFailures", ())))
    report = {"started": started, "imported": imported, "before_import": before_import, "served": served}
    sys.stdout.write(f"\nBENCH-PROBE {json.dumps({**report, 'outcome': outcome})}\n")
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
