"""A progress bar for ``import-gdv`` on stderr: tqdm on a terminal, nothing otherwise.

Shaped like the core's ``Progress`` (label, total, unit -> a counter with
``update``). Short jobs stay silent (``delay``), and without a terminal
(a log, cron, CI) no carriage-return redraws end up in the output.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from tqdm import tqdm

QUIET_SECONDS = 2.0


@contextmanager
def bar(label: str, total: int, unit: str = "") -> Iterator[tqdm]:
    shown = tqdm(total=total, desc=label, unit=f" {unit}" if unit else "it", unit_scale=True,
                 file=sys.stderr, delay=QUIET_SECONDS, dynamic_ncols=True,
                 disable=not _is_terminal(sys.stderr))
    try:
        yield shown
    finally:
        shown.close()


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
