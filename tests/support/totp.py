"""Codes for the second factor as an authenticator app would show them."""

from __future__ import annotations

import re
import time

import pyotp
from sqlalchemy import select

from store.models import User

SECRET = re.compile(r'id="totp-schluessel">([^<]+)<')
RECOVERY = re.compile(r"<code>([a-z0-9-]+)</code>")


def secret_on(html: str) -> str:
    """The secret shown for manual entry, without its spaces."""
    return SECRET.search(html).group(1).replace(" ", "")


def next_code(gateway, login: str, secret: str) -> str:
    """A code the gateway accepts now: the earliest step within the drift window not yet used."""
    with gateway.db.session() as session:
        last = session.scalar(select(User.totp_last_step).where(User.login == login))
    now = int(time.time()) // 30
    step = now - 1 if last is None else max(last + 1, now - 1)
    assert step <= now + 1, f"no unused code left in the window (last {last}, now {now})"
    return pyotp.TOTP(secret).at(step * 30)
