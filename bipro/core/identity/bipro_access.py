"""BiPRO-Zugänge: technical logins a broker creates for its management program.

A technical login is a ``users`` row with an owner (the broker's personal
login). It gets tokens only at the STS, for the services of its scope, and
sees the owner's portfolio under its own name in the audit log. It never
opens the portal, and the owner's password change does not touch it, so a
password kept in a program is not the broker's personal one.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bipro.core.caller import Caller
from bipro.core.errors import Forbidden, NotFound, Problem, ValidationFailed
from bipro.core.identity import audit, tokens
from bipro.core.identity.bipro_scopes import SCOPES, label
from bipro.core.identity.passwords import hash_password
from bipro.core.identity.policy import IdentityPolicy
from bipro.core.identity.profiles import own_user
from store.base import utcnow
from store.models import User

LOGIN_SUFFIX = re.compile(r"-bipro\d+$")
MAX_NAME = 120
LOGIN_LENGTH = 60  # users.login
NOT_ALLOWED = ("Dieser BiPRO-Zugang darf den Service {norm} nicht verwenden; der Vermittler kann "
               "den Umfang des Zugangs im Portal unter „BiPRO-Zugänge“ festlegen.")
NOT_FOUND = "BiPRO-Zugang nicht gefunden."


@dataclass(frozen=True)
class Access:
    id: int
    name: str
    login: str
    scope: str
    scope_label: str
    created_at: dt.datetime
    last_token_at: dt.datetime | None


def is_access_login(login: str) -> bool:
    """Logins of this shape are reserved for BiPRO-Zugänge."""
    return bool(LOGIN_SUFFIX.search(login or ""))


def may_use_door(user: User, channel: str) -> bool:
    """A technical login opens only the STS, and only while not revoked."""
    if user.owner_user_id is None:
        return True
    return channel == "bipro" and user.revoked_at is None


def require_service(caller: Caller, norm: str) -> None:
    """Refuse a call outside the caller's scope (Meldung 00920 at the wire)."""
    if caller.services is not None and norm not in caller.services:
        raise Forbidden(NOT_ALLOWED.format(norm=norm))


def list_accesses(session: Session, caller: Caller) -> list[Access]:
    """The caller's live BiPRO-Zugänge, oldest first."""
    rows = session.scalars(select(User).where(User.owner_user_id == caller.user_id,
                                              User.revoked_at.is_(None)).order_by(User.id))
    return [Access(u.id, u.full_name, u.login, u.bipro_services or "",
                   label(u.bipro_services), u.created_at, u.last_token_at)
            for u in rows]


def create_access(session: Session, policy: IdentityPolicy, caller: Caller, name: str,
                  scope: str) -> tuple[str, str]:
    """A new technical login of the caller; returns (login, password), shown once."""
    owner = _personal(session, caller)
    name = (name or "").strip()
    problems = []
    if not name:
        problems.append(Problem("name", "Bitte geben Sie eine Bezeichnung ein."))
    elif len(name) > MAX_NAME or any(ord(c) < 32 for c in name):
        problems.append(Problem("name", f"Die Bezeichnung darf höchstens {MAX_NAME} Zeichen lang sein."))
    if scope not in SCOPES:
        problems.append(Problem("scope", "Bitte wählen Sie den Umfang: Transfer, Bestand oder Alle."))
    login = _next_login(session, owner)
    if len(login) > LOGIN_LENGTH:
        problems.append(Problem("name", "Für diesen Login-Namen kann kein BiPRO-Zugang angelegt werden."))
    if problems:
        raise ValidationFailed(problems)
    password = _password()
    access = User(broker_id=owner.broker_id, login=login, full_name=name, email="",
                  password_hash=hash_password(password, policy.bcrypt_rounds),
                  owner_user_id=owner.id, bipro_services=scope, transfer_format=owner.transfer_format)
    session.add(access)
    session.flush()
    _audit(session, caller, audit.BIPRO_ACCESS_CREATED, access,
           f"{login} „{name}“, Umfang {label(scope)}")
    return login, password


def renew_password(session: Session, policy: IdentityPolicy, caller: Caller, access_id: int) -> tuple[str, str]:
    """A new generated password; the access's tokens end with the old one."""
    access = _owned(session, caller, access_id)
    password = _password()
    access.password_hash = hash_password(password, policy.bcrypt_rounds)
    access.password_changed_at = utcnow()
    tokens.revoke_user_tokens(session, access, reason="Passwort des BiPRO-Zugangs erneuert",
                              channel=caller.channel)
    _audit(session, caller, audit.BIPRO_ACCESS_RENEWED, access, access.login)
    return access.login, password


def revoke_access(session: Session, caller: Caller, access_id: int) -> str:
    """Revoke a technical login: it is refused at the STS and its tokens end at once."""
    access = _owned(session, caller, access_id)
    _revoke(session, access, caller.channel, "BiPRO-Zugang widerrufen")
    _audit(session, caller, audit.BIPRO_ACCESS_REVOKED, access, access.login)
    return access.login


def bipro_only(session: Session, caller: Caller) -> bool:
    return bool(session.scalar(select(User.bipro_only).where(User.id == caller.user_id,
                                                            User.broker_id == caller.broker_id)))


def set_bipro_only(session: Session, caller: Caller, on: bool) -> int:
    """"Nur über BiPRO-Zugänge": the personal login's STS door; closing it ends its tokens."""
    owner = _personal(session, caller)
    owner.bipro_only = on
    revoked = 0
    if on:
        revoked = tokens.revoke_user_tokens(session, owner, reason="Nur über BiPRO-Zugänge",
                                            channel=caller.channel)
    _audit(session, caller, audit.BIPRO_ONLY_CHANGED, owner, "eingeschaltet" if on else "ausgeschaltet")
    return revoked


def record_token(session: Session, user: User) -> None:
    """Remember when a technical login last got a token (at the STS, not on every call)."""
    if user.owner_user_id is not None:
        session.execute(update(User).where(User.id == user.id).values(last_token_at=utcnow()))


def _revoke(session: Session, access: User, channel: str, reason: str) -> None:
    access.revoked_at = utcnow()
    # The password goes too: nothing can bring a revoked access back to life.
    access.password_hash = "!revoked"
    tokens.revoke_user_tokens(session, access, reason=reason, channel=channel)


def _personal(session: Session, caller: Caller) -> User:
    return own_user(session, caller, personal=True)


def _owned(session: Session, caller: Caller, access_id: int) -> User:
    """The caller's own live access; another's is "not found", never "forbidden"."""
    access = session.scalar(select(User).where(User.id == access_id,
                                               User.owner_user_id == caller.user_id,
                                               User.broker_id == caller.broker_id,
                                               User.revoked_at.is_(None)))
    if access is None:
        raise NotFound(NOT_FOUND)
    return access


def _next_login(session: Session, owner: User) -> str:
    """The owner's login, "-bipro" and the next number (revoked ones are never reused)."""
    prefix = f"{owner.login}-bipro"
    taken = set(session.scalars(select(User.login).where(User.login.startswith(prefix, autoescape=True))))
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def _password() -> str:
    return secrets.token_urlsafe(18)


def _audit(session: Session, caller: Caller, event: str, user: User, detail: str) -> None:
    audit.record(session, event, login=caller.login, user_id=caller.user_id, broker_id=caller.broker_id,
                 channel=caller.channel, remote_addr=caller.remote_addr, detail=detail)
