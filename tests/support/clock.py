"""The test run's clock: ``BIPRO_TEST_CLOCK`` moves it for this process and its children.

``BIPRO_TEST_CLOCK=2026-10-25T00:30:00Z scripts/test -m clock`` runs the
time-sensitive tests as if it were that moment. In this process time-machine
moves ``time.time`` and ``datetime.now``; processes the tests start (a served
gateway, gunicorn workers, the CLI) inherit libfaketime through
``LD_PRELOAD`` with the same offset, so both clocks agree and keep ticking.
The monotonic clock is left alone (timeouts, thread waits, gunicorn's
heartbeat rely on it and hang when it jumps); ``faketime_site`` mends the
one call libfaketime then gets wrong.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import time_machine

CLOCK_ENV = "BIPRO_TEST_CLOCK"
LIBFAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")
# A sitecustomize for the children: works around libfaketime's broken sleep.
FAKETIME_SITE = Path(__file__).resolve().parent / "faketime_site"

# The moments the clock-shifted runs use: just after and just before
# midnight UTC (the latter already tomorrow in Germany), New Year's Eve
# (New Year in Germany), and the two days of 2026 on which the clocks change.
MOMENTS = {
    "00:30 UTC": "2026-11-29T00:30:00Z",
    "23:30 UTC": "2026-11-28T23:30:00Z",
    "New Year's Eve": "2026-12-31T23:30:00Z",
    "clocks forward": "2026-03-29T01:30:00Z",
    "clocks back": "2026-10-25T00:30:00Z",
}


def moment(text: str) -> dt.datetime:
    """An aware UTC datetime from ``2026-03-29T01:30:00Z``."""
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"{CLOCK_ENV} needs a zone, e.g. 2026-03-29T01:30:00Z (got {text!r})")
    return value.astimezone(dt.timezone.utc)


class ShiftedClock:
    """Started once for the whole run (from conftest) when ``BIPRO_TEST_CLOCK`` is set."""

    def __init__(self, target: dt.datetime) -> None:
        if not LIBFAKETIME.exists():
            raise RuntimeError(f"{CLOCK_ENV} needs libfaketime ({LIBFAKETIME}); apt-get install libfaketime")
        self.target = target
        offset = round(target.timestamp() - time.time())
        self._saved = {name: os.environ.get(name)
                       for name in ("LD_PRELOAD", "FAKETIME", "FAKETIME_DONT_FAKE_MONOTONIC", "PYTHONPATH")}
        self._travel = time_machine.travel(target, tick=True)
        self._child_env = {
            "LD_PRELOAD": " ".join(filter(None, (str(LIBFAKETIME), os.environ.get("LD_PRELOAD")))),
            "FAKETIME": f"{offset:+d}",  # relative: children tick on from the same moment
            "FAKETIME_DONT_FAKE_MONOTONIC": "1",
            "PYTHONPATH": os.pathsep.join(filter(None, (str(FAKETIME_SITE), os.environ.get("PYTHONPATH")))),
        }

    def start(self) -> None:
        self._travel.start()
        os.environ.update(self._child_env)

    def stop(self) -> None:
        self._travel.stop()
        for name, value in self._saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def clock_from_environment() -> ShiftedClock | None:
    text = os.environ.get(CLOCK_ENV, "").strip()
    return ShiftedClock(moment(text)) if text else None
