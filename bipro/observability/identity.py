"""Who is calling, for the request's log line: login and Vermittlernummer."""

from __future__ import annotations

import logging
import threading
import weakref

from bipro.core.identity.profiles import broker_profile
from bipro.observability import context

log = logging.getLogger("bipro.observability")

# engine -> {broker id: Vermittlernummer}; numbers never change, and an engine names one database
_numbers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def note_caller(session, caller) -> None:
    """Note *caller* (anything with ``login`` and ``broker_id``) on the open request."""
    if caller is None or context.current() is None:
        return
    engine = session.get_bind()
    known = _numbers.get(engine)
    number = known.get(caller.broker_id) if known is not None else None
    if number is None:
        try:
            number = broker_profile(session, caller).number
        except Exception:  # the log line goes without it; the call must not fail for it
            log.warning("Vermittlernummer of broker %s not found for the log", caller.broker_id)
            number = ""
        else:
            with _lock:
                _numbers.setdefault(engine, {})[caller.broker_id] = number
    context.update(login=caller.login, broker_number=number)
