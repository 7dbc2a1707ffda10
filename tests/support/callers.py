"""Callers for tests that read a broker's data through the core's use cases."""

from __future__ import annotations

from bipro.core.caller import Caller


def of_broker(broker_id: int) -> Caller:
    """A portal caller of broker *broker_id* (the lists and figures read only its ``broker_id``)."""
    return Caller(user_id=0, broker_id=broker_id, login=f"vermittler-{broker_id}", channel="portal")
