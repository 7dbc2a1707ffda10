"""The audit log: logins, lockouts, password changes, tokens, acknowledgements, edits.

Never pass a password or a token to ``record``: the log is read by staff.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from bipro.core import events
from bipro.core.caller import SystemCaller
from store.models import AuditEvent

log = logging.getLogger("bipro.audit")

LOGIN = "login"
LOGIN_FAILED = "login_failed"
LOCKED_OUT = "locked_out"
LOGIN_WHILE_LOCKED = "login_while_locked"
UNLOCKED = "unlocked"
LOGOUT = "logout"
PASSWORD_CHANGED = "password_changed"
PASSWORD_CHANGE_FAILED = "password_change_failed"
PASSWORD_RESET_REQUESTED = "password_reset_requested"
PASSWORD_RESET = "password_reset"
TOKEN_ISSUED = "token_issued"
TOKENS_REVOKED = "tokens_revoked"
SHIPMENT_ACKNOWLEDGED = "shipment_acknowledged"
CUSTOMER_CHANGED = "customer_changed"
USER_CREATED = "user_created"
TRANSFER_FORMAT_CHANGED = "transfer_format_changed"
BIPRO_ACCESS_CREATED = "bipro_access_created"
BIPRO_ACCESS_RENEWED = "bipro_access_renewed"
BIPRO_ACCESS_REVOKED = "bipro_access_revoked"
BIPRO_ONLY_CHANGED = "bipro_only_changed"
STS_CLOSED = "sts_closed"
SECOND_FACTOR_ENABLED = "second_factor_enabled"
SECOND_FACTOR_DISABLED = "second_factor_disabled"
SECOND_FACTOR_RESET = "second_factor_reset"
SECOND_FACTOR_FAILED = "second_factor_failed"
RECOVERY_CODE_USED = "recovery_code_used"
BROKER_CREATED = "broker_created"
BROKER_UPDATED = "broker_updated"
FIRST_PASSWORD_INVITED = "first_password_invited"
INTAKE_KEY_CREATED = "intake_key_created"
INTAKE_KEY_REVOKED = "intake_key_revoked"
DOCUMENTS_RECEIVED = "documents_received"
DASHBOARD_CONTENT_CHANGED = "dashboard_content_changed"


def record(session: Session, event: str, *, login: str = "", user_id: int | None = None,
           broker_id: int | None = None, channel: str = "", remote_addr: str = "",
           detail: str = "", by: SystemCaller | None = None) -> None:
    """One audit entry; *by* names the system caller of staff work (its channel is the entry's)."""
    if by is not None:
        channel = by.channel
    session.add(AuditEvent(event=event, login=login[:60], user_id=user_id, broker_id=broker_id,
                           channel=channel, remote_addr=remote_addr[:64], detail=detail))
    log.info("%s login=%s channel=%s addr=%s%s %s", event, login[:60], channel, remote_addr,
             f" operator={by.operator}" if by is not None else "", detail)
    events.emit(event, channel=channel)
