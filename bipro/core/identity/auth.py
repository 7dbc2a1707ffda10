"""Authentication with lockout, shared by the STS, the portal login and "Passwort ändern".

Every failed attempt gets the same answer at the same cost: one bcrypt
check, whether the login is unknown, the password wrong or too long, or the
account locked. Failures are counted per login name (see ``lockout``), so
the lock codes reveal nothing either. State is committed before a refusal
is raised, because the caller's transaction is rolled back when the
exception leaves it.
"""

from __future__ import annotations

import logging

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bipro.core import mail
from bipro.core.caller import SystemCaller
from bipro.core.errors import AccountLocked, AuthenticationFailed, TooManyRequests
from bipro.core.identity import audit, lock_notice, lockout, rate_limits
from bipro.core.identity.bipro_access import is_access_login, may_use_door
from bipro.core.identity.passwords import check_login_password
from bipro.core.identity.policy import IdentityPolicy
from bipro.core.text_rules import has_forbidden_characters
from store.base import utcnow
from store.db import begin_write
from store.models import User

log = logging.getLogger("bipro.auth")

FAILED = "Anmeldung fehlgeschlagen: Login-Name oder Passwort ist falsch."
LOCKED = "Das Konto ist wegen zu vieler Fehlversuche vorübergehend gesperrt."
STS_CLOSED = ("Für diesen Login ist die BiPRO-Anmeldung abgeschaltet („Nur über BiPRO-Zugänge“); "
              "bitte einen BiPRO-Zugang aus dem Portal verwenden.")


def normalize_login(login: str | None) -> str:
    """The login name as both doors compare it: surrounding white space dropped.

    No login holds a control or invisible character (``create_user`` refuses
    them), so each becomes U+FFFD: the name still matches nobody, and it can
    be counted and audited on every backend (PostgreSQL refuses a NUL byte).
    """
    return "".join("\ufffd" if has_forbidden_characters(c) else c for c in (login or "").strip())


def authenticate(session: Session, policy: IdentityPolicy, login: str, password: str, *,
                 channel: str, remote_addr: str = "") -> User:
    """Return the user for a correct login and password, else raise.

    Raises TooManyRequests (the client address failed too often, nothing is
    checked), AuthenticationFailed (unknown login, wrong or too long password
    alike) or AccountLocked.
    """
    login = normalize_login(login)
    begin_write(session)
    address_hit = rate_limits.take(session, rate_limits.FAILED_LOGINS_PER_ADDRESS, remote_addr or "-")
    session.commit()
    if not address_hit.allowed:
        raise TooManyRequests(rate_limits.TOO_MANY)
    user = check_password(session, policy, login, password, channel=channel,
                          remote_addr=remote_addr, failed_event=audit.LOGIN_FAILED,
                          second_step=channel == "portal")
    rate_limits.give_back(session, address_hit)
    if channel == "bipro" and sts_closed(policy, user):
        # The password was right and counted as such; only the door is closed.
        audit.record(session, audit.STS_CLOSED, login=login, user_id=user.id, broker_id=user.broker_id,
                     channel=channel, remote_addr=remote_addr)
        session.commit()
        raise AuthenticationFailed(STS_CLOSED)
    if channel == "portal" and user.totp_secret:
        return user  # the login is complete (and recorded) once the second factor is checked
    record_login(session, user, channel=channel, remote_addr=remote_addr)
    return user


def record_login(session: Session, user: User, *, channel: str, remote_addr: str, detail: str = "") -> None:
    session.execute(update(User).where(User.id == user.id).values(last_login_at=utcnow()))
    audit.record(session, audit.LOGIN, login=user.login, user_id=user.id, broker_id=user.broker_id,
                 channel=channel, remote_addr=remote_addr, detail=detail)


def sts_closed(policy: IdentityPolicy, user: User) -> bool:
    """"Nur über BiPRO-Zugänge": chosen by the broker, or implied by BIPRO_REQUIRE_2FA for a
    broker with a second factor (the STS cannot ask for a code)."""
    return user.owner_user_id is None and (
        user.bipro_only or (policy.require_2fa and user.totp_secret is not None))


def check_password(session: Session, policy: IdentityPolicy, login: str, password: str, *,
                   channel: str, remote_addr: str, failed_event: str, second_step: bool = False) -> User:
    """One counted password check for *login*: the user when right, else the refusal.

    With *second_step* (the portal login) a right password of a user with a
    second factor does not clear earlier failures; the right code does.

    The caller continues in a write transaction when the user is returned.
    """
    attempt = lockout.reserve(session, policy, _counter(login, channel))
    user = session.scalar(select(User).where(User.login == login)) if login else None
    if user is not None and not may_use_door(user, channel):
        user = None  # a BiPRO-Zugang at the portal, or a revoked one: as if unknown
    session.commit()  # bcrypt below runs outside any transaction: no snapshot or lock is held
    if attempt.locked:
        check_login_password(password, None, policy.bcrypt_rounds)
        begin_write(session)
        audit.record(session, audit.LOGIN_WHILE_LOCKED, login=login, user_id=_id(user),
                     broker_id=_broker(user), channel=channel, remote_addr=remote_addr)
        session.commit()
        raise AccountLocked(LOCKED, until=attempt.locked_until)
    correct = check_login_password(password, user.password_hash if user else None,
                                   policy.bcrypt_rounds)
    begin_write(session)
    if correct:
        if second_step and user.totp_secret is not None:
            lockout.refund(session, attempt)  # cleared only when the code is right too
        else:
            lockout.succeeded(session, attempt)
        return user
    audit.record(session, failed_event, login=login, user_id=_id(user), broker_id=_broker(user),
                 channel=channel, remote_addr=remote_addr,
                 detail=f"Fehlversuch {attempt.failures}" if user else
                 f"Fehlversuch {attempt.failures}, unbekannter Login-Name")
    _refuse(session, policy, attempt, login, user, channel, remote_addr)


def check_counted(session: Session, policy: IdentityPolicy, user: User, verify, *, channel: str,
                  remote_addr: str, failed_event: str, detail: str = "") -> object:
    """A check other than the password (a second-factor code), counted into the same lockout.

    *verify* runs in a write transaction after the attempt is reserved and
    returns a true value when right; that value is returned. A wrong answer
    is audited as *failed_event* and raises like a wrong password.
    """
    login = user.login
    attempt = lockout.reserve(session, policy, login)
    if attempt.locked:
        begin_write(session)
        audit.record(session, audit.LOGIN_WHILE_LOCKED, login=login, user_id=user.id,
                     broker_id=user.broker_id, channel=channel, remote_addr=remote_addr)
        session.commit()
        raise AccountLocked(LOCKED, until=attempt.locked_until)
    begin_write(session)
    result = verify()
    if result:
        lockout.succeeded(session, attempt)
        return result
    session.rollback()  # nothing of a failed check stays but its count and audit
    begin_write(session)
    audit.record(session, failed_event, login=login, user_id=user.id, broker_id=user.broker_id,
                 channel=channel, remote_addr=remote_addr,
                 detail=f"Fehlversuch {attempt.failures}{detail}")
    _refuse(session, policy, attempt, login, user, channel, remote_addr)


def _refuse(session, policy, attempt, login, user, channel, remote_addr):
    """Commit the failure and raise: a plain refusal, or the lock this attempt set."""
    if not attempt.locks:
        session.commit()
        raise AuthenticationFailed(FAILED)
    audit.record(session, audit.LOCKED_OUT, login=login, user_id=_id(user), broker_id=_broker(user),
                 channel=channel, remote_addr=remote_addr,
                 detail=f"gesperrt bis {attempt.locked_until:%Y-%m-%d %H:%M} UTC")
    notify = (user is not None and mail.is_mail_address(user.email)
              and lockout.lock_notice_due(session, attempt))
    session.commit()
    if notify:
        lock_notice.send(policy, user, attempt.locked_until)
    raise AccountLocked(LOCKED, until=attempt.locked_until, just_locked=True)


def _counter(login: str, channel: str) -> str:
    """The lockout counter of an attempt.

    A BiPRO-Zugang is counted under its own name, apart from its owner's
    login; guesses at the portal (where it never works) are counted apart
    again, so nobody can cut the broker's program off its documents there.
    """
    if channel != "bipro" and is_access_login(login):
        return f"portal:{login}"
    return login


def unlock(session: Session, login: str, *, by: SystemCaller) -> bool:
    """Staff: clear the lockout of *login*; False when the login is unknown."""
    user = session.scalar(select(User).where(User.login == login))
    if user is None:
        return False
    lockout.unlock(session, login)
    audit.record(session, audit.UNLOCKED, login=login, user_id=user.id,
                 broker_id=user.broker_id, by=by)
    return True


def _id(user: User | None) -> int | None:
    return user.id if user else None


def _broker(user: User | None) -> int | None:
    return user.broker_id if user else None
