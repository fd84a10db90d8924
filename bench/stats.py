"""Medians with min/max, and the plain-text/Markdown tables every benchmark prints."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Summary:
    median: float
    min: float
    max: float
    runs: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def format(self, digits: int = 1) -> str:
        """`median (min-max)`, the shape of every figure in docs/performance.md."""
        return f"{self.median:.{digits}f} ({self.min:.{digits}f}-{self.max:.{digits}f})"


def summarise(values: Iterable[float]) -> Summary:
    data = list(values)
    if not data:
        raise ValueError("no measurements to summarise")
    return Summary(median=statistics.median(data), min=min(data), max=max(data), runs=len(data))


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (p99 of 100 values is the 99th smallest): no interpolation."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(len(ordered) * fraction - 1e-9)))
    return ordered[rank - 1]


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
