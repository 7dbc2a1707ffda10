"""Progress of long commands (demo at scale, gdv-export, backfilling migrations).

On a terminal a tqdm bar with rate and time left; when the output is not a
terminal (a log file, systemd, CI) one plain line every few seconds instead
of carriage returns. Short jobs stay silent: nothing shows before
``QUIET_SECONDS``. Bars go to stderr, so the commands' results on stdout stay
clean for scripts.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol, TextIO

from tqdm import tqdm

QUIET_SECONDS = 2.0  # jobs done sooner show nothing
LINE_SECONDS = 5.0  # without a terminal: one line this often
PLAIN_FORMAT = ("{desc}: {n_fmt}/{total_fmt}{unit} ({percentage:.0f} %), "
                "{rate_fmt}, vergangen {elapsed}, noch {remaining}")


class Counter(Protocol):
    def update(self, n: int = 1) -> object: ...


# What long jobs accept: Progress(label, total) opens a counter to update.
Progress = Callable[..., AbstractContextManager[Counter]]


@contextmanager
def bar(label: str, total: int, unit: str = "Zeilen", stream: TextIO | None = None) -> Iterator[Counter]:
    """A progress display for *total* units of work, shaped for where it is shown."""
    stream = stream or sys.stderr
    if _is_terminal(stream):
        shown = tqdm(total=total, desc=label, unit=f" {unit}", unit_scale=total >= 10_000, file=stream,
                     delay=QUIET_SECONDS, dynamic_ncols=True, leave=True)
    else:
        shown = tqdm(total=total, desc=label, unit=f" {unit}", file=_Lines(stream), delay=QUIET_SECONDS,
                     mininterval=LINE_SECONDS, maxinterval=LINE_SECONDS, miniters=1,
                     bar_format=PLAIN_FORMAT, leave=True, ascii=True)
    try:
        yield shown
    finally:
        shown.close()


@contextmanager
def silent(label: str, total: int, unit: str = "Zeilen", stream: TextIO | None = None) -> Iterator[Counter]:
    """The Progress of callers that show none (tests, library use)."""
    yield _Nothing()


class _Nothing:
    def update(self, n: int = 1) -> None:
        pass


class _Lines:
    """A file for tqdm that turns each redraw into one plain line (no carriage returns)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.last = ""

    def write(self, text: str) -> None:
        line = text.replace("\r", "").strip()
        count = line.partition(", ")[0]  # label and count, without the ever-changing rate
        if line and count != self.last:  # closing redraws the final count once more
            self.stream.write(line + "\n")
            self.last = count

    def flush(self) -> None:
        self.stream.flush()


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real file
        return False
