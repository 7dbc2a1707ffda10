"""Intake keys: how the insurer's document system proves itself (never a broker login).

A key is shown once when it is created; only its SHA-256 is stored, so a
copy of the database grants no access. A revoked key is refused like an
unknown one.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from bipro.core.caller import SystemCaller
from bipro.core.errors import AuthenticationFailed, NotFound, Problem, ValidationFailed
from bipro.core.identity import audit
from store.base import utcnow
from store.db import begin_write
from store.models import IntakeKey

PREFIX = "bik_"  # makes a leaked key recognisable in logs and secret scanners
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$")
WRONG_KEY = "Der Intake-Schlüssel fehlt, ist unbekannt oder widerrufen."


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(session: Session, name: str, *, by: SystemCaller) -> str:
    """A new key for *name*; the raw key is returned once and never stored."""
    if not NAME.match(name or ""):
        raise ValidationFailed([Problem("name", "Der Name besteht aus 1 bis 60 Buchstaben, Ziffern, . _ -.")])
    begin_write(session)
    if session.scalar(select(IntakeKey.id).where(IntakeKey.name == name)) is not None:
        raise ValidationFailed([Problem("name", f"Einen Intake-Schlüssel '{name}' gibt es bereits.")])
    key = PREFIX + secrets.token_urlsafe(32)
    session.add(IntakeKey(name=name, key_hash=key_hash(key)))
    audit.record(session, audit.INTAKE_KEY_CREATED, by=by, detail=f"Intake-Schlüssel {name}")
    return key


def revoke_key(session: Session, name: str, *, by: SystemCaller) -> None:
    begin_write(session)
    row = session.scalar(select(IntakeKey).where(IntakeKey.name == name, IntakeKey.revoked_at.is_(None)))
    if row is None:
        raise NotFound(f"Es gibt keinen gültigen Intake-Schlüssel '{name}'.")
    row.revoked_at = utcnow()
    audit.record(session, audit.INTAKE_KEY_REVOKED, by=by, detail=f"Intake-Schlüssel {name}")


def authenticate_key(session: Session, key: str | None) -> int:
    """The id of a live key; AuthenticationFailed for a missing, unknown or revoked one."""
    if not key or len(key) > 200:
        raise AuthenticationFailed(WRONG_KEY)
    key_id = session.scalar(select(IntakeKey.id).where(IntakeKey.key_hash == key_hash(key),
                                                      IntakeKey.revoked_at.is_(None)))
    if key_id is None:
        raise AuthenticationFailed(WRONG_KEY)
    return key_id


def list_keys(session: Session) -> list[tuple[str, bool]]:
    """(name, revoked) of every key, by name."""
    return [(name, revoked is not None) for name, revoked in
            session.execute(select(IntakeKey.name, IntakeKey.revoked_at).order_by(IntakeKey.name))]
