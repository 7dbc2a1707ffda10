"""Who is calling, for the request's log line: login and Vermittlernummer."""

from __future__ import annotations

import threading

from bipro.core.profiles import broker_profile
from bipro.observability import context

_numbers: dict[tuple[str, int], str] = {}  # (database, broker id) -> Vermittlernummer; they never change
_lock = threading.Lock()


def note_caller(session, caller) -> None:
    """Note *caller* (anything with ``login`` and ``broker_id``) on the open request."""
    if caller is None or context.current() is None:
        return
    key = (str(session.get_bind().url), caller.broker_id)
    number = _numbers.get(key)
    if number is None:
        number = broker_profile(session, caller.broker_id).number
        with _lock:
            _numbers[key] = number
    context.update(login=caller.login, broker_number=number)
