"""The lockout counter per login name: a password check is reserved before it is made.

Reserving is one atomic step that both checks the lock and counts the
attempt, so however many requests arrive at once, across threads,
processes and databases, at most ``lockout_threshold`` passwords are
checked before the lock holds. The attempt that reaches the threshold sets
the lock already when it is reserved; should its password be right, it
lifts its own lock again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bipro.core.identity.policy import IdentityPolicy
from store.base import utcnow
from store.db import begin_write
from store.models import LoginFailure

FORGET_AFTER = dt.timedelta(days=1)  # a failure count untouched this long starts over
MAIL_EVERY = dt.timedelta(hours=1)  # at most one lock notice per login and hour
KEY_LENGTH = 120
PURGE_BATCH = 100


@dataclass(frozen=True)
class Attempt:
    """One reserved password check, or a refusal because the login is locked."""

    login: str
    locked: bool  # refused: locked before this attempt, no password may be checked
    failures: int  # failures in a row including this attempt (if it fails)
    locks: bool  # this attempt reached the threshold and set the lock
    locked_until: dt.datetime | None


def key(login: str) -> str:
    return login[:KEY_LENGTH]


def reserve(session: Session, policy: IdentityPolicy, login: str) -> Attempt:
    """Check the lock and count the attempt in one committed transaction."""
    now = utcnow()
    begin_write(session)
    name = key(login)
    insert = (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)
    # One statement creates the row or locks the existing one (a no-op update
    # takes PostgreSQL's row lock; SQLite's BEGIN IMMEDIATE already serialised
    # us), even while another attempt deletes it after a success.
    row = session.execute(
        insert(LoginFailure).values(login=name, failures=0, last_failure_at=now)
        .on_conflict_do_update(index_elements=["login"], set_={"failures": LoginFailure.failures})
        .returning(LoginFailure.failures, LoginFailure.locked_until)
    ).one()
    if row.locked_until is not None and row.locked_until > now:
        attempt = Attempt(name, True, row.failures, False, row.locked_until)
    else:
        failures = 1 if row.locked_until is not None else row.failures + 1
        until = (now + dt.timedelta(minutes=policy.lockout_minutes)
                 if failures >= policy.lockout_threshold else None)
        session.execute(update(LoginFailure).where(LoginFailure.login == name)
                        .values(failures=failures, locked_until=until, last_failure_at=now))
        attempt = Attempt(name, False, failures, until is not None, until)
    # Rows another attempt holds are skipped, so two purges never wait on each other.
    stale = (select(LoginFailure.login)
             .where(LoginFailure.last_failure_at < now - FORGET_AFTER, LoginFailure.login != name,
                    LoginFailure.locked_until.is_(None) | (LoginFailure.locked_until < now))
             .limit(PURGE_BATCH).with_for_update(skip_locked=True))
    session.execute(delete(LoginFailure).where(LoginFailure.login.in_(stale)))
    session.commit()
    return attempt


def succeeded(session: Session, attempt: Attempt) -> None:
    """The reserved check was right: forget the failures, unless another attempt locked meanwhile."""
    statement = delete(LoginFailure).where(LoginFailure.login == attempt.login)
    if not attempt.locks:
        statement = statement.where(LoginFailure.locked_until.is_(None))
    session.execute(statement)


def refund(session: Session, attempt: Attempt) -> None:
    """A right password whose login still needs its second factor: uncount this attempt only.

    The failures before it stay, so a thief holding the password cannot clear
    the count between guesses of the code; the code's success clears it.
    """
    statement = (update(LoginFailure).where(LoginFailure.login == attempt.login, LoginFailure.failures > 0)
                 .values(failures=LoginFailure.failures - 1, locked_until=None))
    if not attempt.locks:
        statement = statement.where(LoginFailure.locked_until.is_(None))
    session.execute(statement)


def lock_notice_due(session: Session, attempt: Attempt) -> bool:
    """True once per hour and login: the caller may mail the owner about the lock."""
    now = utcnow()
    return session.execute(
        update(LoginFailure)
        .where(LoginFailure.login == attempt.login,
               (LoginFailure.lock_mailed_at.is_(None)) | (LoginFailure.lock_mailed_at < now - MAIL_EVERY))
        .values(lock_mailed_at=now)
    ).rowcount == 1


def unlock(session: Session, login: str) -> None:
    """Lift the lock and forget the failures (staff, or a new password)."""
    session.execute(update(LoginFailure).where(LoginFailure.login == key(login))
                    .values(failures=0, locked_until=None))
