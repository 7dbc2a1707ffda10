"""Imported at start-up by the test run's child processes while their clock is shifted.

Debian's libfaketime (0.9.10) mistranslates ``clock_nanosleep`` with an
absolute CLOCK_MONOTONIC deadline when the monotonic clock is left alone, and
Python 3.11+ sleeps exactly that way: ``time.sleep`` fails with EINVAL
(gunicorn's arbiter sleeps between spawning workers). ``select`` with a
relative timeout is unaffected, so sleeping goes through it.
"""

import os
import select
import time

if os.environ.get("FAKETIME") and "libfaketime" in os.environ.get("LD_PRELOAD", ""):
    def _sleep(seconds: float) -> None:
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        select.select([], [], [], seconds)

    time.sleep = _sleep
