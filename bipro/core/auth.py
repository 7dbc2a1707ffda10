"""Authentication with lockout, shared by the STS and the portal login.

Failures count together whichever door they came through. Failure state is
committed before the refusal is raised, because the caller's transaction is
rolled back when the exception leaves it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bipro.config import Settings
from bipro.core import audit
from bipro.core.errors import AccountLocked, AuthenticationFailed, PasswordTooLongForLogin
from bipro.core.passwords import MAX_PASSWORD_BYTES, PasswordTooLong, burn_time, verify_password
from store.base import utcnow
from store.db import begin_write
from store.models import User

FAILED = "Anmeldung fehlgeschlagen: Login-Name oder Passwort ist falsch."
LOCKED = "Das Konto ist wegen zu vieler Fehlversuche vorübergehend gesperrt."
TOO_LONG = f"Das Passwort ist länger als {MAX_PASSWORD_BYTES} Bytes und kann nicht stimmen."


def authenticate(session: Session, settings: Settings, login: str, password: str, *,
                 channel: str, remote_addr: str = "") -> User:
    """Return the user for a correct login and password, else raise.

    Raises AuthenticationFailed (unknown user and wrong password alike),
    PasswordTooLongForLogin, or AccountLocked.
    """
    now = utcnow()
    user = session.scalar(select(User).where(User.login == login)) if login else None
    if user is None:
        _burn(password, settings.bcrypt_rounds)
        _fail_unknown(session, login, channel, remote_addr)
    if user.locked_until and user.locked_until > now:
        _burn(password, settings.bcrypt_rounds)
        begin_write(session)
        audit.record(session, audit.LOGIN_WHILE_LOCKED, login=login, user_id=user.id,
                     broker_id=user.broker_id, channel=channel, remote_addr=remote_addr)
        session.commit()
        raise AccountLocked(LOCKED, until=user.locked_until)
    try:
        correct = verify_password(password, user.password_hash)
    except PasswordTooLong:
        correct = None
    # The password is checked outside the write lock; every write below is
    # an atomic UPDATE by id, so the fresh transaction needs no re-read.
    begin_write(session)
    if not correct:
        _count_failure(session, settings, user, channel, remote_addr, now)
        if correct is None:
            raise PasswordTooLongForLogin(TOO_LONG)
        raise AuthenticationFailed(FAILED)
    session.execute(update(User).where(User.id == user.id)
                    .values(failed_logins=0, locked_until=None, last_login_at=now))
    audit.record(session, audit.LOGIN, login=login, user_id=user.id, broker_id=user.broker_id,
                 channel=channel, remote_addr=remote_addr)
    return user


def _burn(password: str, rounds: int) -> None:
    try:
        burn_time(password, rounds)
    except PasswordTooLong:
        burn_time("", rounds)


def _fail_unknown(session, login, channel, remote_addr):
    begin_write(session)
    audit.record(session, audit.LOGIN_FAILED, login=login, channel=channel,
                 remote_addr=remote_addr, detail="unbekannter Login-Name")
    session.commit()
    raise AuthenticationFailed(FAILED)


def _count_failure(session: Session, settings: Settings, user: User, channel: str,
                   remote_addr: str, now: dt.datetime) -> None:
    # An atomic increment: two processes failing at once both count.
    failures = session.scalar(
        update(User).where(User.id == user.id)
        .values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins)
    )
    audit.record(session, audit.LOGIN_FAILED, login=user.login, user_id=user.id,
                 broker_id=user.broker_id, channel=channel, remote_addr=remote_addr,
                 detail=f"Fehlversuch {failures}")
    if failures >= settings.lockout_threshold:
        until = now + dt.timedelta(minutes=settings.lockout_minutes)
        session.execute(update(User).where(User.id == user.id)
                        .values(locked_until=until, failed_logins=0))
        audit.record(session, audit.LOCKED_OUT, login=user.login, user_id=user.id,
                     broker_id=user.broker_id, channel=channel, remote_addr=remote_addr,
                     detail=f"gesperrt bis {until:%Y-%m-%d %H:%M} UTC")
        session.commit()
        raise AccountLocked(LOCKED, until=until, just_locked=True)
    session.commit()


def unlock(session: Session, login: str, *, channel: str = "cli") -> User | None:
    user = session.scalar(select(User).where(User.login == login))
    if user is None:
        return None
    user.failed_logins = 0
    user.locked_until = None
    audit.record(session, audit.UNLOCKED, login=login, user_id=user.id,
                 broker_id=user.broker_id, channel=channel)
    return user
