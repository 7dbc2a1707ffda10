"""Callers of the core's use cases in tests: the insurer's staff, and a broker reading its own data."""

from __future__ import annotations

from bipro.core.caller import Caller, SystemCaller

STAFF = SystemCaller("test")  # the insurer's staff, as the command line acts


def of_broker(broker_id: int) -> Caller:
    """A portal caller of broker *broker_id* (the lists and figures read only its ``broker_id``)."""
    return Caller(user_id=0, broker_id=broker_id, login=f"vermittler-{broker_id}", channel="portal")
