"""What a view reads of the running gateway and the request: settings, policy, address, local time."""

from __future__ import annotations

import datetime as dt

from flask import current_app, request

from bipro.config import Settings
from bipro.core.clock import to_local
from bipro.core.identity.policy import IdentityPolicy


def settings() -> Settings:
    return current_app.extensions["gateway"].settings


def identity_policy() -> IdentityPolicy:
    return current_app.extensions["gateway"].identity_policy


def remote_addr() -> str:
    return request.remote_addr or ""


def local_time(value: dt.datetime | None) -> dt.datetime | None:
    """Jinja filter: stored UTC to German local time."""
    return to_local(value) if value is not None else None
