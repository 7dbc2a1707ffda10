"""Callers of the core's use cases in tests: the insurer's staff, and a broker reading its own data."""

from __future__ import annotations

from sqlalchemy import select

from bipro.core.caller import Caller, SystemCaller
from store.models import User

STAFF = SystemCaller("test")  # the insurer's staff, as the command line acts


def of_broker(broker_id: int) -> Caller:
    """A portal caller of broker *broker_id* (the lists and figures read only its ``broker_id``)."""
    return Caller(user_id=0, broker_id=broker_id, login=f"vermittler-{broker_id}", channel="portal")


def caller_of(gateway, login: str, channel: str = "portal") -> Caller:
    """The caller a login is when it acts itself (in the portal, unless *channel* says otherwise)."""
    with gateway.db.session() as session:
        user = session.scalar(select(User).where(User.login == login))
        return Caller(user_id=user.id, broker_id=user.broker_id, login=user.login, channel=channel)
