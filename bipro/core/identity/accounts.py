"""Password changes and user administration, shared by portal, CLI and reset links."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bipro.core import mail
from bipro.core.caller import Caller, SystemCaller
from bipro.core.errors import AccountLocked, AuthenticationFailed, NotFound, Problem, ValidationFailed
from bipro.core.identity import audit, auth, lockout, portal_sessions, tokens
from bipro.core.identity.bipro_access import is_access_login
from bipro.core.identity.passwords import hash_password, policy_problems
from bipro.core.identity.policy import IdentityPolicy
from bipro.core.identity.profiles import own_user
from bipro.core.text_rules import FORBIDDEN_CHARACTERS, composed, has_forbidden_characters
from store.base import utcnow
from store.models import Broker, User


@dataclass(frozen=True)
class LoginInfo:
    """A login as use cases hand it out: plain data, never the database row."""

    id: int
    login: str
    broker_id: int
    full_name: str
    email: str

    @classmethod
    def of(cls, user: User) -> "LoginInfo":
        return cls(user.id, user.login, user.broker_id, user.full_name, user.email)


EMAIL_COLUMN = 120  # users.email
ONE_EMAIL_ADDRESS = ("Bitte geben Sie genau eine gültige E-Mail-Adresse an (z. B. name@beispiel.de), "
                     "ohne Namen, Leerzeichen oder zweite Adresse: an sie gehen die Links zum "
                     "Festlegen des Passworts.")
EMAIL_TOO_LONG = f"Die E-Mail-Adresse darf höchstens {EMAIL_COLUMN} Zeichen lang sein."
OLD_PASSWORD_WRONG = "Das bisherige Passwort ist nicht korrekt."
OLD_PASSWORD_LOCKED = ("Das Konto ist wegen zu vieler Fehlversuche vorübergehend gesperrt; das "
                       "Passwort kann gerade nicht geändert werden.")


def change_password(session: Session, policy: IdentityPolicy, caller: Caller, old: str, new: str,
                    repeat: str | None = None, *, keep_session: str | None = None) -> int:
    """Check the old password, apply the password policy, store the new one, end tokens and sessions.

    The password policy is checked first, so only a form that could succeed
    spends a password check. A wrong old password counts into the same lockout
    as a failed login and is audited: a stolen session is no password oracle.
    *keep_session* (the browser that made the change) stays logged in.
    Returns the number of BiPRO tokens revoked.
    """
    channel, remote_addr = caller.channel, caller.remote_addr
    user = own_user(session, caller)
    problems = [Problem("new_password", m) for m in policy_problems(new, user.login)]
    if repeat is not None and new != repeat:
        problems.append(Problem("repeat_password", "Die beiden neuen Passwörter stimmen nicht überein."))
    if new == old:
        problems.append(Problem("new_password", "Das neue Passwort muss sich vom bisherigen unterscheiden."))
    if problems:
        raise ValidationFailed(problems)
    try:
        auth.check_password(session, policy, user.login, old, channel=channel,
                            remote_addr=remote_addr, failed_event=audit.PASSWORD_CHANGE_FAILED)
    except AccountLocked:
        raise ValidationFailed([Problem("old_password", OLD_PASSWORD_LOCKED)]) from None
    except AuthenticationFailed:
        raise ValidationFailed([Problem("old_password", OLD_PASSWORD_WRONG)]) from None
    return _store(session, policy, user, new, audit.PASSWORD_CHANGED, channel, remote_addr,
                  keep_session)


def set_password(session: Session, policy: IdentityPolicy, user: User, new: str, *,
                 event: str = audit.PASSWORD_RESET, channel: str = "portal",
                 remote_addr: str = "") -> int:
    """Set a password without the old one (reset link, staff); password policy and revocation apply."""
    problems = [Problem("new_password", m) for m in policy_problems(new, user.login)]
    if problems:
        raise ValidationFailed(problems)
    return _store(session, policy, user, new, event, channel, remote_addr, None)


def _store(session, policy, user, new, event, channel, remote_addr, keep_session) -> int:
    """The one place a password is replaced: every token and every other session ends with it."""
    user.password_hash = hash_password(new, policy.bcrypt_rounds)
    user.password_changed_at = utcnow()
    lockout.unlock(session, user.login)
    revoked = tokens.revoke_user_tokens(session, user, reason="Passwort geändert", channel=channel)
    portal_sessions.end_user_sessions(session, user.id, keep=keep_session)
    audit.record(session, event, login=user.login, user_id=user.id, broker_id=user.broker_id,
                 channel=channel, remote_addr=remote_addr)
    return revoked


def create_user(session: Session, policy: IdentityPolicy, broker_number: str, full_name: str,
                email: str, login: str | None = None, *, by: SystemCaller) -> tuple[LoginInfo, str]:
    """A new login for a broker with a random first password (returned once)."""
    broker = session.scalar(select(Broker).where(Broker.number == broker_number))
    if broker is None:
        raise NotFound(f"Vermittlernummer {broker_number} ist unbekannt.")
    full_name, email = composed(full_name or ""), (email or "").strip()
    invisible = [Problem(field, FORBIDDEN_CHARACTERS)
                 for field, value in (("name", full_name), ("email", email), ("login", login or ""))
                 if has_forbidden_characters(value)]
    if invisible:
        raise ValidationFailed(invisible)
    problem = email_problem(email)
    if problem:
        raise ValidationFailed([Problem("email", problem)])
    login = login or _next_login(session, broker)
    if is_access_login(login):
        raise ValidationFailed([Problem("login", f"Login-Namen auf „-bipro“ und eine Zahl sind "
                                                 f"BiPRO-Zugängen vorbehalten: {login}.")])
    if session.scalar(select(User.id).where(User.login == login)):
        raise ValidationFailed([Problem("login", f"Der Login-Name {login} ist bereits vergeben.")])
    password = secrets.token_urlsafe(12)
    user = User(broker_id=broker.id, login=login, full_name=full_name, email=email,
                password_hash=hash_password(password, policy.bcrypt_rounds))
    session.add(user)
    session.flush()
    audit.record(session, audit.USER_CREATED, login=login, user_id=user.id,
                 broker_id=broker.id, by=by)
    return LoginInfo.of(user), password


def email_problem(email: str) -> str | None:
    """Why *email* can't be a login's address (password links are mailed to it), or None.

    Empty is allowed (staff hand out the first password themselves); anything
    else must be exactly one address, so a link never reaches a second mailbox.
    """
    if not email:
        return None
    if len(email) > EMAIL_COLUMN:
        return EMAIL_TOO_LONG
    return None if mail.is_mail_address(email) else ONE_EMAIL_ADDRESS


def _next_login(session: Session, broker: Broker) -> str:
    """Logins are assigned by the system: the broker number and a running suffix."""
    existing = set(session.scalars(select(User.login).where(User.broker_id == broker.id)))
    n = 1
    while f"{broker.number}-{n:02d}" in existing:
        n += 1
    return f"{broker.number}-{n:02d}"


def user_by_login(session: Session, login: str) -> LoginInfo:
    return LoginInfo.of(_user(session, login))


def reset_password(session: Session, policy: IdentityPolicy, login: str, *, by: SystemCaller) -> tuple[str, int]:
    """Staff: give *login* a new random password (returned once); ends its tokens and sessions.

    Returns the password and the number of BiPRO tokens revoked.
    """
    password = secrets.token_urlsafe(12)
    revoked = _store(session, policy, _user(session, login), password, audit.PASSWORD_RESET,
                     by.channel, "", None)
    return password, revoked


def _user(session: Session, login: str) -> User:
    user = session.scalar(select(User).where(User.login == login))
    if user is None:
        raise NotFound(f"Login-Name {login} ist unbekannt.")
    return user


