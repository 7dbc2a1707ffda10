"""A hook for observers of use cases (metrics), so the core stays free of their concerns.

The core announces what happened (``emit("login", channel="bipro")``); an
adapter that counts such things subscribes. Nothing is subscribed unless
the process asked for metrics, and an observer's failure never fails a use
case.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger("bipro.events")

# Events beyond the audit log's names (``bipro.core.identity.audit``), which are emitted too.
TOKENS_ENDED = "tokens_ended"  # count: how many live tokens a revocation ended

Observer = Callable[[str, str, int], None]  # (event, channel, count)

_observers: list[Observer] = []


def subscribe(observer: Observer) -> None:
    if observer not in _observers:
        _observers.append(observer)


def emit(event: str, *, channel: str = "", count: int = 1) -> None:
    for observer in list(_observers):
        try:
            observer(event, channel, count)
        except Exception:  # an observer must never break a login or a download
            log.exception("observer of %s failed", event)
