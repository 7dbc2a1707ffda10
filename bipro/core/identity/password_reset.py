""""Passwort vergessen?": one-time reset links, stored hashed, short-lived, single use.

The caller answers the same whether or not the login exists; ``request_reset``
returns None for an unknown login so the adapter can simply send nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bipro.core import mail, portal_paths
from bipro.core.caller import SystemCaller
from bipro.core.errors import Problem, TokenInvalid, TooManyRequests, ValidationFailed
from bipro.core.identity import accounts, audit, rate_limits
from bipro.core.identity.auth import normalize_login
from bipro.core.identity.passwords import policy_problems
from bipro.core.identity.policy import IdentityPolicy
from store.base import utcnow
from store.db import begin_write
from store.models import PasswordResetToken, User

INVALID = ("Dieser Link zum Zurücksetzen des Passworts ist ungültig, abgelaufen oder wurde "
           "bereits verwendet. Bitte fordern Sie einen neuen Link an.")
MISMATCH = "Die beiden neuen Passwörter stimmen nicht überein."


@dataclass(frozen=True)
class IssuedReset:
    """A freshly issued link: the raw token exists only here and in the mail."""

    user_id: int
    login: str
    full_name: str
    email: str
    token: str
    expires_at: dt.datetime  # UTC


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def request_reset(session: Session, policy: IdentityPolicy, login: str, *,
                  remote_addr: str = "") -> IssuedReset | None:
    """Issue a link for *login*; None when the login is unknown, has no e-mail address
    or had its three mails this hour.

    Raises TooManyRequests when the client address asked too often; both
    limits are counted in the database, shared by every process.
    """
    login = normalize_login(login)
    begin_write(session)
    if not rate_limits.take(session, rate_limits.RESET_REQUESTS_PER_ADDRESS, remote_addr or "-").allowed:
        session.commit()
        raise TooManyRequests(rate_limits.TOO_MANY)
    # Counted per name typed, known or not, so the limit reveals nothing either.
    mail_allowed = rate_limits.take(session, rate_limits.RESET_MAILS_PER_LOGIN, login[:120]).allowed
    user = session.scalar(select(User).where(User.login == login)) if login else None
    detail = "" if user else "unbekannter Login-Name"
    if user is not None and not mail_allowed:
        detail = "keine E-Mail: Höchstzahl je Stunde erreicht"
    audit.record(session, audit.PASSWORD_RESET_REQUESTED, login=login,
                 user_id=user.id if user else None, broker_id=user.broker_id if user else None,
                 channel="portal", remote_addr=remote_addr, detail=detail)
    # A BiPRO-Zugang has no mail address and is renewed by its owner, never by a link;
    # a stored value that is not exactly one address gets no link either.
    if (user is None or user.owner_user_id is not None or not mail.is_mail_address(user.email)
            or not mail_allowed):
        return None
    now = utcnow()
    # Only the newest link works: an older one in a mailbox is worthless.
    session.execute(update(PasswordResetToken)
                    .where(PasswordResetToken.user_id == user.id,
                           PasswordResetToken.used_at.is_(None))
                    .values(used_at=now))
    token = secrets.token_urlsafe(32)
    expires = now + dt.timedelta(minutes=policy.reset_token_minutes)
    session.add(PasswordResetToken(token_hash=token_hash(token), user_id=user.id,
                                   created_at=now, expires_at=expires))
    return IssuedReset(user.id, user.login, user.full_name, user.email, token, expires)


def mail_reset_link(session: Session, policy: IdentityPolicy, login: str, *,
                    remote_addr: str = "") -> None:
    """"Passwort vergessen?" for *login*: a link issued and mailed, or nothing, alike to the caller.

    The link is committed before the mail can be clicked. The mail goes out
    aside: the answer must not reveal, by its content or its speed, whether a
    mail was due, so a failure is only logged. Raises TooManyRequests when the
    client address asked too often.
    """
    issued = request_reset(session, policy, login, remote_addr=remote_addr)
    session.commit()
    if issued is not None:
        message = reset_message(policy, issued, reset_link(policy.public_url, issued.token))
        mail.send_in_background(policy.mail, message, f"Password reset mail for user id {issued.user_id}")


def issue_first_password(session: Session, policy: IdentityPolicy, user: accounts.LoginInfo, *,
                         by: SystemCaller) -> IssuedReset:
    """A "Passwort festlegen" link for a new login: a reset link valid ``first_password_hours``.

    The login's own password is a random value nobody knows, so the link is
    the only way in; it is single-use like every reset link.
    """
    now = utcnow()
    token = secrets.token_urlsafe(32)
    expires = now + dt.timedelta(hours=policy.first_password_hours)
    session.add(PasswordResetToken(token_hash=token_hash(token), user_id=user.id,
                                   created_at=now, expires_at=expires))
    audit.record(session, audit.FIRST_PASSWORD_INVITED, login=user.login, user_id=user.id,
                 broker_id=user.broker_id, by=by)
    return IssuedReset(user.id, user.login, user.full_name, user.email, token, expires)


def reset_link(public_url: str, token: str) -> str:
    """The portal address of a reset link (the portal route ``auth.reset_password``)."""
    return portal_paths.url(public_url, portal_paths.RESET_PASSWORD, token=token)


def first_password_message(policy: IdentityPolicy, issued: IssuedReset, link: str) -> EmailMessage:
    """The German e-mail inviting a new login to set its first password."""
    body = "\n".join([
        _greeting(issued),
        "",
        f"für Sie wurde der Zugang „{issued.login}“ zum Extranet der Docura VVaG eingerichtet. "
        "Bitte legen Sie über den folgenden Link Ihr Passwort fest:",
        "",
        link,
        "",
        f"Der Link ist {policy.first_password_hours} Stunden gültig und kann nur einmal "
        "verwendet werden. Ist er abgelaufen, fordern Sie auf der Anmeldeseite über "
        "„Passwort vergessen?“ einen neuen an.",
        "Login-Name und Passwort gelten ebenso für alle BiPRO Services der DOCURA in Ihrem "
        "Maklerverwaltungsprogramm.",
        "",
        "Mit freundlichen Grüßen",
        "Ihre Docura VVaG",
    ])
    return mail.compose(policy.mail, issued.email, "Passwort festlegen für das Docura Extranet", body)


def reset_message(policy: IdentityPolicy, issued: IssuedReset, link: str) -> EmailMessage:
    """The German e-mail carrying the link."""
    body = "\n".join([
        _greeting(issued),
        "",
        f"für Ihren Zugang „{issued.login}“ zum Extranet der Docura VVaG wurde ein neues "
        "Passwort angefordert. Über den folgenden Link können Sie es vergeben:",
        "",
        link,
        "",
        f"Der Link ist {policy.reset_token_minutes} Minuten gültig und kann nur einmal "
        "verwendet werden.",
        "Bitte denken Sie daran, das neue Passwort auch in Ihrem Maklerverwaltungsprogramm "
        "einzutragen, denn es gilt ebenso für alle BiPRO Services der DOCURA.",
        "",
        "Haben Sie kein neues Passwort angefordert, können Sie diese Nachricht ignorieren; "
        "Ihr bisheriges Passwort bleibt gültig.",
        "",
        "Mit freundlichen Grüßen",
        "Ihre Docura VVaG",
    ])
    return mail.compose(policy.mail, issued.email, "Ihr neues Passwort für das Docura Extranet", body)


def verify_reset(session: Session, token: str) -> accounts.LoginInfo:
    """The login a live, unused link belongs to; TokenInvalid otherwise."""
    return accounts.LoginInfo.of(_link_owner(session, token))


def _link_owner(session: Session, token: str) -> User:
    if not token or len(token) > 200:
        raise TokenInvalid(INVALID)
    row = session.scalar(select(PasswordResetToken)
                         .where(PasswordResetToken.token_hash == token_hash(token)))
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        raise TokenInvalid(INVALID)
    user = session.get(User, row.user_id)
    if user is None:
        raise TokenInvalid(INVALID)
    return user


def consume_reset(session: Session, policy: IdentityPolicy, token: str, new: str, repeat: str, *,
                  remote_addr: str = "") -> accounts.LoginInfo:
    """Set the new password through the link and spend it; ends every token and session.

    Policy problems are raised before the link is spent, so a typo does not
    cost the broker a new e-mail.
    """
    user = _link_owner(session, token)
    problems = [Problem("new_password", m) for m in policy_problems(new, user.login)]
    if new != repeat:
        problems.append(Problem("repeat_password", MISMATCH))
    if problems:
        raise ValidationFailed(problems)
    # Atomic: of two simultaneous submissions only one finds the link unused.
    begin_write(session)
    spent = session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.token_hash == token_hash(token),
               PasswordResetToken.used_at.is_(None),
               PasswordResetToken.expires_at > utcnow())
        .values(used_at=utcnow())
    ).rowcount
    if spent != 1:
        raise TokenInvalid(INVALID)
    accounts.set_password(session, policy, user, new, channel="portal", remote_addr=remote_addr)
    return accounts.LoginInfo.of(user)


def _greeting(issued: IssuedReset) -> str:
    return f"Guten Tag {issued.full_name}," if issued.full_name else "Guten Tag,"
