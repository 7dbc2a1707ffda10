"""Who is calling a use case: every query is scoped to ``broker_id``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Caller:
    user_id: int
    broker_id: int
    login: str
    remote_addr: str = ""
    channel: str = ""  # "bipro", "portal" or "cli", for the audit log
    services: frozenset[str] | None = None  # BiPRO norms a BiPRO-Zugang may call; None: all
