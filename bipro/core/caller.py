"""Who is calling a use case: a broker's login (every query scoped to ``broker_id``) or the system."""

from __future__ import annotations

import getpass
from dataclasses import dataclass


@dataclass(frozen=True)
class Caller:
    user_id: int
    broker_id: int
    login: str
    remote_addr: str = ""
    channel: str = ""  # "bipro", "portal" or "cli", for the audit log
    services: frozenset[str] | None = None  # BiPRO norms a BiPRO-Zugang may call; None: all


@dataclass(frozen=True)
class SystemCaller:
    """The insurer's side: staff at the command line, the folder intake, the GDV import.

    Not a broker: it has no ``broker_id`` to be scoped by and acts for any
    broker, never through a broker's door. Its audit entries carry its channel
    (shown as "Verwaltung" in a broker's Protokoll); the operator's name goes
    to the operations log only, never onto a broker's page.
    """

    operator: str
    channel: str = "cli"


def command_line() -> SystemCaller:
    """The system caller of a command: the operating-system user who runs it."""
    try:
        operator = getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        operator = "unbekannt"
    return SystemCaller(operator)
