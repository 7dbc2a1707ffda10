"""Codes for the second factor as an authenticator app would show them."""

from __future__ import annotations

import re
import time

import pyotp
from sqlalchemy import select

from store.models import User

SECRET = re.compile(r'id="totp-schluessel">([^<]+)<')
RECOVERY = re.compile(r"<code>([a-z0-9-]+)</code>")
_REQUEST_SECONDS = 10  # ample time for one request to reach the check, even on a loaded machine


def secret_on(html: str) -> str:
    """The secret shown for manual entry, without its spaces."""
    return SECRET.search(html).group(1).replace(" ", "")


def next_code(gateway, login: str, secret: str) -> str:
    """A code the gateway accepts now and in a few seconds: the earliest such step not yet used.

    The earliest step of the drift window leaves the most steps for later codes, but it falls
    out of the window when a step boundary passes before the request arrives; so near a
    boundary the earliest step of the coming window is taken instead.
    """
    with gateway.db.session() as session:
        last = session.scalar(select(User.totp_last_step).where(User.login == login))
    while True:
        clock = time.time()
        now = int(clock) // 30
        earliest = int(clock + _REQUEST_SECONDS) // 30 - 1
        step = earliest if last is None else max(last + 1, earliest)
        if step <= now + 1:
            return pyotp.TOTP(secret).at(step * 30)
        time.sleep((now + 1) * 30 - clock)  # every step of this window is used: wait for the next
