"""The portal's second factor: TOTP (RFC 6238) with one-time recovery codes.

The secret is stored Fernet-encrypted (``secret_box``), recovery codes only
as SHA-256 hashes. Every code typed at the login or to turn the factor off
is counted into the same lockout as a password, and an accepted TOTP code
cannot be used again: its time step is remembered and only a later one is
accepted, in one conditional UPDATE so two requests cannot both use it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

import pyotp
import segno
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bipro.core.caller import Caller, SystemCaller
from bipro.core.errors import AccountLocked, AuthenticationFailed, NotFound, Problem, ValidationFailed
from bipro.core.identity import audit, auth
from bipro.core.identity.policy import IdentityPolicy
from bipro.core.identity.profiles import own_user
from bipro.core.identity.secret_box import open_sealed, seal
from store.base import utcnow
from store.models import RecoveryCode, User

ISSUER = "DOCURA Maklerextranet"
STEP = 30  # seconds per code
DRIFT_STEPS = 1  # a code of the step before or after is accepted too (clock drift, typing time)
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
CODE_SHAPE = re.compile(r"^\d{6}$")

WRONG_CODE = "Der Sicherheitscode ist nicht korrekt oder wurde bereits verwendet."
SETUP_CODE_WRONG = ("Der Sicherheitscode passt nicht. Prüfen Sie die Uhrzeit Ihres Geräts und geben "
                    "Sie den aktuell angezeigten Code ein.")


@dataclass(frozen=True)
class Setup:
    secret: str  # base32, for manual entry
    grouped: str  # the secret in groups of four
    uri: str  # otpauth:// for the QR code
    qr_data_uri: str  # an SVG image as data: URI (no inline script or style needed)


def enabled(session: Session, caller: Caller) -> bool:
    """Whether the caller's login has a second factor set up."""
    return session.scalar(select(User.totp_secret).where(User.id == caller.user_id,
                                                         User.broker_id == caller.broker_id)) is not None


def remaining_recovery_codes(session: Session, caller: Caller) -> int:
    return session.scalar(select(func.count()).select_from(RecoveryCode)
                          .join(User, User.id == RecoveryCode.user_id)
                          .where(RecoveryCode.user_id == caller.user_id, User.broker_id == caller.broker_id,
                                 RecoveryCode.used_at.is_(None)))


def start_setup(session: Session, policy: IdentityPolicy, caller: Caller) -> Setup:
    """The secret to scan or type; kept (encrypted) as pending until a code confirms it."""
    user = _user(session, caller)
    secret = open_sealed(policy, user.totp_pending) if user.totp_pending else None
    if secret is None:
        secret = pyotp.random_base32()  # 160 bits, as RFC 4226 recommends
        user.totp_pending = seal(policy, secret)
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.login, issuer_name=ISSUER)
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, dark="#000", light="#fff")
    return Setup(secret, " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)), uri, qr)


def confirm_setup(session: Session, policy: IdentityPolicy, caller: Caller, code: str) -> list[str]:
    """Turn the second factor on with a code of the pending secret; the recovery codes, shown once."""
    user = _user(session, caller)
    if user.totp_pending is None:
        raise ValidationFailed([Problem("code", "Bitte laden Sie die Seite neu und scannen Sie den Code erneut.")])
    secret = open_sealed(policy, user.totp_pending)
    step = _matching_step(secret, _digits(code), None)
    if step is None:
        raise ValidationFailed([Problem("code", SETUP_CODE_WRONG)])
    user.totp_secret = user.totp_pending
    user.totp_pending = None
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    codes = _new_recovery_codes(session, user.id)
    audit.record(session, audit.SECOND_FACTOR_ENABLED, login=caller.login, user_id=user.id,
                 broker_id=user.broker_id, channel=caller.channel, remote_addr=caller.remote_addr)
    return codes


def verify_login(session: Session, policy: IdentityPolicy, user_id: int, code: str, *,
                 remote_addr: str = "") -> User:
    """The second step of a portal login; counted into the lockout like a password.

    Raises AuthenticationFailed (wrong, used or stale code) or AccountLocked.
    """
    user = session.get(User, user_id)
    if user is None or user.totp_secret is None:
        raise AuthenticationFailed(WRONG_CODE)
    method = _check(session, policy, user, code, channel="portal", remote_addr=remote_addr)
    auth.record_login(session, user, channel="portal", remote_addr=remote_addr,
                      detail="mit Wiederherstellungscode" if method == "recovery" else "mit Sicherheitscode")
    return user


def disable(session: Session, policy: IdentityPolicy, caller: Caller, password: str, code: str) -> None:
    """Turn the second factor off: the password and a current code, both counted."""
    user = _user(session, caller)
    if user.totp_secret is None:
        return
    try:
        auth.check_password(session, policy, user.login, password, channel=caller.channel,
                            remote_addr=caller.remote_addr, failed_event=audit.PASSWORD_CHANGE_FAILED)
    except AccountLocked:
        raise ValidationFailed([Problem("password", auth.LOCKED)]) from None
    except AuthenticationFailed:
        raise ValidationFailed([Problem("password", "Das Passwort ist nicht korrekt.")]) from None
    try:
        _check(session, policy, user, code, channel=caller.channel, remote_addr=caller.remote_addr)
    except AccountLocked:
        raise ValidationFailed([Problem("code", auth.LOCKED)]) from None
    except AuthenticationFailed:
        raise ValidationFailed([Problem("code", WRONG_CODE)]) from None
    _clear(session, user)
    audit.record(session, audit.SECOND_FACTOR_DISABLED, login=caller.login, user_id=user.id,
                 broker_id=user.broker_id, channel=caller.channel, remote_addr=caller.remote_addr)


def reset(session: Session, login: str, *, by: SystemCaller) -> None:
    """Staff: remove a broker's second factor (a lost phone and lost recovery codes)."""
    user = session.scalar(select(User).where(User.login == login, User.owner_user_id.is_(None)))
    if user is None:
        raise NotFound(f"Login-Name {login} ist unbekannt.")
    _clear(session, user)
    user.totp_pending = None
    audit.record(session, audit.SECOND_FACTOR_RESET, login=login, user_id=user.id,
                 broker_id=user.broker_id, by=by)


def _check(session, policy, user: User, code: str, *, channel: str, remote_addr: str) -> str:
    """One counted code check: "totp" or "recovery" when right, else the refusal."""
    user_id = user.id
    secret = open_sealed(policy, user.totp_secret)

    def verify():
        digits = _digits(code)
        if CODE_SHAPE.match(digits):
            last = session.scalar(select(User.totp_last_step).where(User.id == user_id))
            step = _matching_step(secret, digits, last)
            # Conditional: of two requests with the same code only one moves the step on.
            if step is not None and session.execute(
                    update(User).where(User.id == user_id,
                                       User.totp_last_step.is_(None) | (User.totp_last_step < step))
                    .values(totp_last_step=step)).rowcount == 1:
                return "totp"
            return None
        used = session.execute(
            update(RecoveryCode).where(RecoveryCode.user_id == user_id,
                                       RecoveryCode.code_hash == _recovery_hash(code),
                                       RecoveryCode.used_at.is_(None))
            .values(used_at=utcnow())).rowcount == 1
        if used:
            audit.record(session, audit.RECOVERY_CODE_USED, login=user.login, user_id=user_id,
                         broker_id=user.broker_id, channel=channel, remote_addr=remote_addr)
            return "recovery"
        return None

    return auth.check_counted(session, policy, user, verify, channel=channel, remote_addr=remote_addr,
                              failed_event=audit.SECOND_FACTOR_FAILED)


def _matching_step(secret: str, digits: str, last_step: int | None) -> int | None:
    """The time step whose code is *digits*, later than *last_step*; None otherwise."""
    if not CODE_SHAPE.match(digits):
        return None
    totp = pyotp.TOTP(secret)
    now = int(time.time()) // STEP
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if (last_step is None or step > last_step) and hmac.compare_digest(totp.at(step * STEP), digits):
            return step
    return None


def _digits(code: str) -> str:
    return re.sub(r"\s", "", code or "")[:64]


def _recovery_hash(code: str) -> str:
    normalized = re.sub(r"[\s-]", "", (code or "").lower())[:64]
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


def _new_recovery_codes(session: Session, user_id: int) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(12))  # about 59 bits
        code = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
        session.add(RecoveryCode(user_id=user_id, code_hash=_recovery_hash(code)))
        codes.append(code)
    return codes


def _clear(session: Session, user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def _user(session: Session, caller: Caller) -> User:
    return own_user(session, caller, personal=True)
