"""Benchmarks for the order system: `make bench` (not part of `make test`). See docs/performance.md."""
