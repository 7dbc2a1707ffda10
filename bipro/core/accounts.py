"""Password changes and user administration, shared by portal, CLI and reset links."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from bipro.config import Settings
from bipro.core import audit, tokens
from bipro.core.errors import NotFound, Problem, ValidationFailed
from bipro.core.passwords import PasswordTooLong, hash_password, policy_problems, verify_password
from store.base import utcnow
from store.db import begin_write
from store.models import Broker, User


def change_password(session: Session, settings: Settings, user_id: int, old: str, new: str,
                    repeat: str | None = None, *, channel: str = "portal",
                    remote_addr: str = "") -> int:
    """Check the old password, apply the policy, store the new one, end every BiPRO token.

    Returns the number of tokens revoked.
    """
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Benutzer nicht gefunden.")
    try:
        old_ok = verify_password(old, user.password_hash)
    except PasswordTooLong:
        old_ok = False
    if not old_ok:
        raise ValidationFailed([Problem("old_password", "Das bisherige Passwort ist nicht korrekt.")])
    problems = [Problem("new_password", m) for m in policy_problems(new, user.login)]
    if repeat is not None and new != repeat:
        problems.append(Problem("repeat_password", "Die beiden neuen Passwörter stimmen nicht überein."))
    if new == old:
        problems.append(Problem("new_password", "Das neue Passwort muss sich vom bisherigen unterscheiden."))
    if problems:
        raise ValidationFailed(problems)
    begin_write(session)
    return _store(session, settings, user, new, audit.PASSWORD_CHANGED, channel, remote_addr)


def set_password(session: Session, settings: Settings, user: User, new: str, *,
                 event: str = audit.PASSWORD_RESET, channel: str = "portal",
                 remote_addr: str = "") -> int:
    """Set a password without the old one (reset link, staff); policy and revocation apply."""
    problems = [Problem("new_password", m) for m in policy_problems(new, user.login)]
    if problems:
        raise ValidationFailed(problems)
    return _store(session, settings, user, new, event, channel, remote_addr)


def _store(session, settings, user, new, event, channel, remote_addr) -> int:
    user.password_hash = hash_password(new, settings.bcrypt_rounds)
    user.password_changed_at = utcnow()
    user.failed_logins = 0
    user.locked_until = None
    revoked = tokens.revoke_user_tokens(session, user, reason="Passwort geändert", channel=channel)
    audit.record(session, event, login=user.login, user_id=user.id, broker_id=user.broker_id,
                 channel=channel, remote_addr=remote_addr)
    return revoked


def create_user(session: Session, settings: Settings, broker_number: str, full_name: str,
                email: str, login: str | None = None) -> tuple[User, str]:
    """A new login for a broker with a random first password (returned once)."""
    broker = session.scalar(select(Broker).where(Broker.number == broker_number))
    if broker is None:
        raise NotFound(f"Vermittlernummer {broker_number} ist unbekannt.")
    login = login or _next_login(session, broker)
    if session.scalar(select(User.id).where(User.login == login)):
        raise ValidationFailed([Problem("login", f"Der Login-Name {login} ist bereits vergeben.")])
    password = secrets.token_urlsafe(12)
    user = User(broker_id=broker.id, login=login, full_name=full_name, email=email,
                password_hash=hash_password(password, settings.bcrypt_rounds))
    session.add(user)
    session.flush()
    audit.record(session, audit.USER_CREATED, login=login, user_id=user.id,
                 broker_id=broker.id, channel="cli")
    return user, password


def _next_login(session: Session, broker: Broker) -> str:
    """Logins are assigned by the system: the broker number and a running suffix."""
    existing = set(session.scalars(select(User.login).where(User.broker_id == broker.id)))
    n = 1
    while f"{broker.number}-{n:02d}" in existing:
        n += 1
    return f"{broker.number}-{n:02d}"


def user_by_login(session: Session, login: str) -> User:
    user = session.scalar(select(User).where(User.login == login))
    if user is None:
        raise NotFound(f"Login-Name {login} ist unbekannt.")
    return user


