"""How getShipment hands files to a login: MTOM parts or inline base64.

One use case for the CLI (``user transfer-format``), the portal (Mein
Benutzerprofil) and the Transfer service. A login without its own choice
follows the server default ``BIPRO_MTOM``.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bipro.core.errors import NotFound, Problem, ValidationFailed
from bipro.core.identity import audit
from store.db import begin_write
from store.models import User

MTOM = "mtom"
BASE64 = "base64"
LABELS = {MTOM: "MTOM (empfohlen)", BASE64: "eingebettet (Base64)"}
FIELD = "transfer_format"


def default_format(mtom_by_default: bool) -> str:
    return MTOM if mtom_by_default else BASE64


def transfer_format(session: Session, mtom_by_default: bool, user_id: int) -> str:
    """The format getShipment uses for this login (*mtom_by_default*: the server's ``BIPRO_MTOM``)."""
    return _effective(_user(session, user_id), mtom_by_default)


def uses_mtom(session: Session, mtom_by_default: bool, user_id: int) -> bool:
    return transfer_format(session, mtom_by_default, user_id) == MTOM


def set_transfer_format(session: Session, mtom_by_default: bool, user_id: int, value: str, *,
                        channel: str, remote_addr: str = "") -> str:
    """Store the login's choice (``mtom`` or ``base64``); anything else changes nothing."""
    chosen = (value or "").strip().lower()
    if chosen not in LABELS:
        raise ValidationFailed([Problem(FIELD, "Bitte wählen Sie MTOM oder eingebettet (Base64).")])
    begin_write(session)  # SQLite: take the write lock before reading what is changed
    user = _user(session, user_id)
    before = _effective(user, mtom_by_default)
    user.transfer_format = chosen
    if before != chosen:
        audit.record(session, audit.TRANSFER_FORMAT_CHANGED, login=user.login, user_id=user.id,
                     broker_id=user.broker_id, channel=channel, remote_addr=remote_addr,
                     detail=f"{before} -> {chosen}")
    return chosen


def _effective(user: User, mtom_by_default: bool) -> str:
    return user.transfer_format if user.transfer_format in LABELS else default_format(mtom_by_default)


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Benutzer nicht gefunden.")
    return user
