"""Benchmarks of the gateway: ``python -m bench`` runs every scenario module.

The convention: a module ``bench/<scenario>.py`` (no leading underscore)
exposes ``run(options: Options) -> list[Result]``. The runner finds it by
itself; helpers live in ``bench/_*.py``.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Options:
    quick: bool = False  # smaller scales, for a smoke run
    postgres_url: str | None = None  # a server the bench may create databases on
    workdir: Path = field(default_factory=lambda: Path("bench-work"))
    # kept between runs: the large demo databases (see bench/_bigdb.py)
    cachedir: Path = field(default_factory=lambda: Path(__file__).resolve().parent / "output" / "cache")

    def scale(self, full: int, quick: int) -> int:
        return quick if self.quick else full


@dataclass
class Result:
    """One row of the table.

    ``ratio`` is how many times the baseline's cost the measured thing costs:
    for times median / baseline, for rates baseline / median; above 1 is slower.
    """

    name: str
    median: float | None
    p95: float | None
    unit: str
    baseline: str = ""
    baseline_median: float | None = None
    ratio: float | None = None
    note: str = ""
    failed: bool = False  # a requirement of the scenario was broken (errors, a bound)


def median(samples) -> float:
    return statistics.median(samples)


def p95(samples) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def time_result(name: str, seconds: list[float], *, unit: str = "ms", baseline: str = "",
                baseline_seconds: list[float] | None = None, note: str = "") -> Result:
    """A Result from per-operation times in seconds, shown in ms or µs."""
    factor = {"ms": 1e3, "µs": 1e6, "s": 1.0}[unit]
    result = Result(name, median(seconds) * factor, p95(seconds) * factor, unit, baseline, note=note)
    if baseline_seconds:
        result.baseline_median = median(baseline_seconds) * factor
        result.ratio = result.median / result.baseline_median
    return result


def rate_result(name: str, rate: float, unit: str, *, baseline: str = "",
                baseline_rate: float | None = None, note: str = "") -> Result:
    result = Result(name, rate, None, unit, baseline, note=note)
    if baseline_rate:
        result.baseline_median = baseline_rate
        result.ratio = baseline_rate / rate if rate else None
    return result
