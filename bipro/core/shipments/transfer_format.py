"""How getShipment hands files to a login: MTOM parts or inline base64.

One rule for the portal (Mein Benutzerprofil: the caller's own login), the
Transfer service (the calling login) and the CLI (``user transfer-format``:
staff, for any login). A login without its own choice follows the server
default ``BIPRO_MTOM``.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bipro.core.caller import Caller, SystemCaller
from bipro.core.errors import NotFound, Problem, ValidationFailed
from bipro.core.identity import audit
from bipro.core.identity.profiles import own_user
from store.db import begin_write
from store.models import User

MTOM = "mtom"
BASE64 = "base64"
LABELS = {MTOM: "MTOM (empfohlen)", BASE64: "eingebettet (Base64)"}
FIELD = "transfer_format"


def default_format(mtom_by_default: bool) -> str:
    return MTOM if mtom_by_default else BASE64


def transfer_format(session: Session, mtom_by_default: bool, caller: Caller) -> str:
    """The format getShipment uses for the caller's login (*mtom_by_default*: the server's ``BIPRO_MTOM``)."""
    return _effective(own_user(session, caller), mtom_by_default)


def uses_mtom(session: Session, mtom_by_default: bool, caller: Caller) -> bool:
    return transfer_format(session, mtom_by_default, caller) == MTOM


def set_transfer_format(session: Session, mtom_by_default: bool, caller: Caller, value: str) -> str:
    """Store the caller's choice for its own login (``mtom`` or ``base64``); anything else changes nothing."""
    chosen = _checked(value)
    begin_write(session)  # SQLite: take the write lock before reading what is changed
    user = own_user(session, caller)
    _store(session, user, chosen, mtom_by_default, channel=caller.channel, remote_addr=caller.remote_addr)
    return chosen


def set_transfer_format_of(session: Session, mtom_by_default: bool, login: str, value: str, *,
                           by: SystemCaller) -> str:
    """Staff: store the choice for *login*; NotFound for an unknown login."""
    chosen = _checked(value)
    begin_write(session)
    user = session.scalar(select(User).where(User.login == login))
    if user is None:
        raise NotFound(f"Login-Name {login} ist unbekannt.")
    _store(session, user, chosen, mtom_by_default, by=by)
    return chosen


def _checked(value: str) -> str:
    chosen = (value or "").strip().lower()
    if chosen not in LABELS:
        raise ValidationFailed([Problem(FIELD, "Bitte wählen Sie MTOM oder eingebettet (Base64).")])
    return chosen


def _store(session: Session, user: User, chosen: str, mtom_by_default: bool, **audited) -> None:
    before = _effective(user, mtom_by_default)
    user.transfer_format = chosen
    if before != chosen:
        audit.record(session, audit.TRANSFER_FORMAT_CHANGED, login=user.login, user_id=user.id,
                     broker_id=user.broker_id, detail=f"{before} -> {chosen}", **audited)


def _effective(user: User, mtom_by_default: bool) -> str:
    return user.transfer_format if user.transfer_format in LABELS else default_format(mtom_by_default)
