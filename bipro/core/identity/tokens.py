"""BiPRO SecurityContextTokens: issued after a password check, resolved by hash.

Only the SHA-256 of an identifier is stored, so a copy of the database
grants no sessions. Resolving a token is one indexed lookup, no bcrypt, so
every gateway process accepts every token at the cost of a query.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from bipro.core import events
from bipro.core.caller import Caller
from bipro.core.errors import TokenInvalid, TokenMalformed
from bipro.core.identity import audit
from bipro.core.identity.bipro_scopes import norms
from store.base import utcnow
from store.db import read_alone
from store.models import SecurityToken, User

PREFIX = "bipro:"
# "bipro:" and 43 URL-safe characters (256 random bits); some slack for length.
IDENTIFIER = re.compile(r"^bipro:[A-Za-z0-9_-]{22,128}$")
KEEP_EXPIRED = dt.timedelta(hours=1)  # expired rows are purged after this grace


@dataclass(frozen=True)
class IssuedToken:
    identifier: str
    created: dt.datetime  # UTC
    expires: dt.datetime  # UTC


def token_hash(identifier: str) -> str:
    return hashlib.sha256(identifier.encode("utf-8")).hexdigest()


def issue_token(session: Session, user: User, ttl_seconds: int, *, remote_addr: str = "") -> IssuedToken:
    now = utcnow().replace(microsecond=0)
    identifier = PREFIX + secrets.token_urlsafe(32)
    expires = now + dt.timedelta(seconds=ttl_seconds)
    session.add(SecurityToken(token_hash=token_hash(identifier), user_id=user.id,
                              created_at=now, expires_at=expires))
    purge_expired(session, now)
    audit.record(session, audit.TOKEN_ISSUED, login=user.login, user_id=user.id,
                 broker_id=user.broker_id, channel="bipro", remote_addr=remote_addr,
                 detail=f"gültig bis {expires:%Y-%m-%dT%H:%M:%S}Z")
    return IssuedToken(identifier, now, expires)


# Built once: the statement is the same for every call, only the hash changes.
_TOKEN_QUERY = (
    select(User.id, User.broker_id, User.login, User.owner_user_id, User.bipro_services,
           User.revoked_at.label("user_revoked_at"), SecurityToken.expires_at, SecurityToken.revoked_at)
    .join(User, User.id == SecurityToken.user_id)
    .where(SecurityToken.token_hash == bindparam("token_hash"))
)


def resolve_token(session: Session, identifier: str, *, remote_addr: str = "") -> Caller:
    """The caller behind a live token; TokenMalformed or TokenInvalid otherwise."""
    if not IDENTIFIER.match(identifier or ""):
        raise TokenMalformed("Der Bezeichner des SecurityContextToken ist ungültig aufgebaut.")
    # Usually the call's first query, and often its only one: it runs alone, one round trip.
    rows = read_alone(session, _TOKEN_QUERY, {"token_hash": token_hash(identifier)})
    row = rows[0] if rows else None
    if (row is None or row.revoked_at is not None or row.user_revoked_at is not None
            or row.expires_at <= utcnow()):
        raise TokenInvalid("Das Sicherheitstoken ist ungültig oder abgelaufen. Bitte neu anmelden.")
    # A BiPRO-Zugang is limited to the norms of its scope; a personal login is not.
    services = norms(row.bipro_services) if row.owner_user_id is not None else None
    return Caller(user_id=row.id, broker_id=row.broker_id, login=row.login,
                  remote_addr=remote_addr, channel="bipro", services=services)


def revoke_user_tokens(session: Session, user: User, *, reason: str, channel: str = "") -> int:
    now = utcnow()
    result = session.execute(
        update(SecurityToken)
        .where(SecurityToken.user_id == user.id, SecurityToken.revoked_at.is_(None),
               SecurityToken.expires_at > now)
        .values(revoked_at=now)
    )
    audit.record(session, audit.TOKENS_REVOKED, login=user.login, user_id=user.id,
                 broker_id=user.broker_id, channel=channel, detail=f"{result.rowcount} Token: {reason}")
    events.emit(events.TOKENS_ENDED, channel=channel, count=result.rowcount)
    return result.rowcount


def purge_expired(session: Session, now: dt.datetime | None = None) -> int:
    cutoff = (now or utcnow()) - KEEP_EXPIRED
    return session.execute(delete(SecurityToken).where(SecurityToken.expires_at < cutoff)).rowcount
