"""Server-side portal sessions: the browser holds a random id, the database its hash.

Ending a row logs the browser out wherever its cookie is replayed; a row
idle longer than ``IdentityPolicy.session_idle_minutes``, or older than
``IdentityPolicy.session_max_hours`` however busy, no longer authenticates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bipro.core.caller import Caller
from bipro.core.errors import CoreError
from bipro.core.identity import audit
from bipro.core.identity.policy import IdentityPolicy
from store.base import utcnow
from store.db import begin_write
from store.models import PortalSession, User

# Writing last_seen on every click costs a write per page; a minute of
# slack changes nothing about an idle limit counted in minutes.
TOUCH_EVERY = dt.timedelta(seconds=60)


class SessionEnded(CoreError):
    """The session id is unknown, was ended (logout) or sat idle too long."""

    def __init__(self, message: str, *, idle: bool = False) -> None:
        super().__init__(message)
        self.idle = idle


ENDED = "Ihre Sitzung ist beendet. Bitte melden Sie sich erneut an."
IDLE = "Ihre Sitzung ist wegen Inaktivität abgelaufen. Bitte melden Sie sich erneut an."
TOO_OLD = ("Ihre Sitzung ist nach {hours} Stunden abgelaufen. Bitte melden Sie sich erneut an.")


def session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def start_session(session: Session, user: User, *, remote_addr: str = "") -> str:
    """A new row for *user*; returns the random id for the cookie (never stored)."""
    session_id = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(PortalSession(session_hash=session_hash(session_id), user_id=user.id,
                              created_at=now, last_seen_at=now, remote_addr=remote_addr[:64]))
    return session_id


def resolve_session(session: Session, policy: IdentityPolicy, session_id: str, *,
                    remote_addr: str = "") -> Caller:
    """The caller behind a live session id, touching it; SessionEnded otherwise."""
    if not session_id:
        raise SessionEnded(ENDED)
    row = session.execute(
        select(PortalSession.id, PortalSession.created_at, PortalSession.last_seen_at,
               PortalSession.ended_at, User.id.label("user_id"), User.broker_id, User.login)
        .join(User, User.id == PortalSession.user_id)
        .where(PortalSession.session_hash == session_hash(session_id))
    ).first()
    if row is None or row.ended_at is not None:
        raise SessionEnded(ENDED)
    now = utcnow()
    # A stolen session must not live for ever just because it is used.
    if now - row.created_at > dt.timedelta(hours=policy.session_max_hours):
        begin_write(session)
        session.execute(update(PortalSession).where(PortalSession.id == row.id)
                        .values(ended_at=now))
        raise SessionEnded(TOO_OLD.format(hours=policy.session_max_hours), idle=True)
    if now - row.last_seen_at > dt.timedelta(minutes=policy.session_idle_minutes):
        begin_write(session)
        session.execute(update(PortalSession).where(PortalSession.id == row.id)
                        .values(ended_at=now))
        raise SessionEnded(IDLE, idle=True)
    if now - row.last_seen_at >= TOUCH_EVERY:
        begin_write(session)
        session.execute(update(PortalSession).where(PortalSession.id == row.id)
                        .values(last_seen_at=now))
    return Caller(user_id=row.user_id, broker_id=row.broker_id, login=row.login,
                  remote_addr=remote_addr, channel="portal")


def end_session(session: Session, session_id: str, *, remote_addr: str = "") -> bool:
    """Logout: end the row; True when a live session was ended."""
    if not session_id:
        return False
    begin_write(session)
    row = session.execute(
        select(PortalSession.id, PortalSession.ended_at, User.id.label("user_id"),
               User.broker_id, User.login)
        .join(User, User.id == PortalSession.user_id)
        .where(PortalSession.session_hash == session_hash(session_id))
    ).first()
    if row is None or row.ended_at is not None:
        return False
    session.execute(update(PortalSession).where(PortalSession.id == row.id)
                    .values(ended_at=utcnow()))
    audit.record(session, audit.LOGOUT, login=row.login, user_id=row.user_id,
                 broker_id=row.broker_id, channel="portal", remote_addr=remote_addr)
    return True


def end_user_sessions(session: Session, user_id: int, *, keep: str | None = None) -> int:
    """End every live session of a user, except *keep*; part of every password change."""
    statement = (update(PortalSession)
                 .where(PortalSession.user_id == user_id, PortalSession.ended_at.is_(None))
                 .values(ended_at=utcnow()))
    if keep:
        statement = statement.where(PortalSession.session_hash != session_hash(keep))
    return session.execute(statement).rowcount
