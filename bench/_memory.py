"""Memory measures for benchmarks: traced Python allocation and sampled RSS."""

from __future__ import annotations

import os
import threading
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

MIB = 1024 * 1024
_PAGE = os.sysconf("SC_PAGE_SIZE")


def rss() -> int:
    """This process's resident set size in bytes (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * _PAGE


def traced_peak(work: Callable[[], Any]) -> tuple[Any, int]:
    """Run *work* under tracemalloc; its result and the peak allocation above the start."""
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    try:
        result = work()
        return result, tracemalloc.get_traced_memory()[1] - before
    finally:
        if not was_tracing:
            tracemalloc.stop()


class RssSampler:
    """Samples RSS from a thread while work runs: peak growth, and growth over the second half.

    Untraced, so the work runs at full speed; "constant memory" shows as a
    second-half growth near zero however long the work runs.
    """

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.monotonic(), rss()))
            self._stop.wait(self.interval)

    def __enter__(self) -> "RssSampler":
        self.start = rss()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append((time.monotonic(), rss()))

    @property
    def peak_growth(self) -> int:
        return max(value for _, value in self.samples) - self.start

    @property
    def second_half_growth(self) -> int:
        """RSS at the end minus the highest RSS seen in the first half of the run."""
        first, last = self.samples[0][0], self.samples[-1][0]
        middle = first + (last - first) / 2
        first_half = max(value for at, value in self.samples if at <= middle)
        return max(value for _, value in self.samples) - first_half
