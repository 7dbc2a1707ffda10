"""What a use case can refuse; adapters turn these into BiPRO faults or German form errors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


class CoreError(Exception):
    """Base of every refusal of the core. ``message`` is German, for a person."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class NotFound(CoreError):
    """Unknown, or belongs to another broker: the two are never told apart."""


class AuthenticationFailed(CoreError):
    """Unknown user or wrong password: the same answer for both."""


class AccountLocked(CoreError):
    """Too many failures in a row; locked until ``until`` (UTC)."""

    def __init__(self, message: str, until: dt.datetime, just_locked: bool = False) -> None:
        super().__init__(message)
        self.until = until
        self.just_locked = just_locked


class TooManyRequests(CoreError):
    """A rate limit is exhausted for now; nothing was checked or changed."""


class Forbidden(CoreError):
    """The caller is known but may not use this service (a BiPRO-Zugang outside its scope)."""


class TokenInvalid(CoreError):
    """A session token that is unknown, expired or revoked."""


class TokenMalformed(TokenInvalid):
    """Not even shaped like one of our token identifiers."""


@dataclass(frozen=True)
class Problem:
    """One invalid input: which field, what is wrong (German) and, where a caller may
    branch on it, a stable machine-readable code (the tariff engine's ``missing``, ``range``, ...)."""

    field: str
    message: str
    code: str = ""


class ValidationFailed(CoreError):
    """The input breaks one or more rules; every problem is listed."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


class Conflict(CoreError):
    """Someone else changed the record since it was read."""


class ShipmentNotFound(NotFound):
    """No shipment with this ID for the caller's broker (unknown or another broker's)."""


class ShipmentExpired(CoreError):
    """The shipment exists for this broker, but its VerfuegbarBis has passed."""
