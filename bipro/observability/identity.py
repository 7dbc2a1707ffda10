"""Who is calling, for the request's log line: login and Vermittlernummer."""

from __future__ import annotations

import logging
import threading

from bipro.core.identity.profiles import broker_profile
from bipro.observability import context

log = logging.getLogger("bipro.observability")

_numbers: dict[tuple[str, int], str] = {}  # (database, broker id) -> Vermittlernummer; they never change
_lock = threading.Lock()


def note_caller(session, caller) -> None:
    """Note *caller* (anything with ``login`` and ``broker_id``) on the open request."""
    if caller is None or context.current() is None:
        return
    key = (str(session.get_bind().url), caller.broker_id)
    number = _numbers.get(key)
    if number is None:
        try:
            number = broker_profile(session, caller.broker_id).number
        except Exception:  # the log line goes without it; the call must not fail for it
            log.warning("Vermittlernummer of broker %s not found for the log", caller.broker_id)
            number = ""
        else:
            with _lock:
                _numbers[key] = number
    context.update(login=caller.login, broker_number=number)
