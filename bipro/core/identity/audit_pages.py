"""Reading the audit log: a broker's own events, newest first, one page at a time.

Scoped to ``caller.broker_id`` like every other query; events without a
broker (a failed login with an unknown name) belong to nobody's view.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, func, not_, select
from sqlalchemy.orm import Session

from bipro.core.caller import Caller
from bipro.core.clock import to_local
from bipro.core.identity import audit
from store.models import AuditEvent

PER_PAGE = 25
MAX_PAGE_SIZE = 100

LABELS = {
    audit.LOGIN: "Anmeldung",
    audit.LOGIN_FAILED: "Anmeldung fehlgeschlagen",
    audit.LOCKED_OUT: "Zugang gesperrt",
    audit.LOGIN_WHILE_LOCKED: "Anmeldeversuch bei gesperrtem Zugang",
    audit.UNLOCKED: "Zugang entsperrt",
    audit.LOGOUT: "Abmeldung",
    audit.PASSWORD_CHANGED: "Passwort geändert",
    audit.PASSWORD_CHANGE_FAILED: "Passwort ändern: bisheriges Passwort falsch",
    audit.PASSWORD_RESET_REQUESTED: "Passwort-Zurücksetzen angefordert",
    audit.PASSWORD_RESET: "Passwort zurückgesetzt",
    audit.TOKEN_ISSUED: "BiPRO-Sicherheitstoken ausgestellt",
    audit.TOKENS_REVOKED: "BiPRO-Sicherheitstoken widerrufen",
    audit.SHIPMENT_ACKNOWLEDGED: "Lieferung quittiert",
    audit.CUSTOMER_CHANGED: "Kundendaten geändert",
    audit.USER_CREATED: "Benutzer angelegt",
    audit.TRANSFER_FORMAT_CHANGED: "Dokumentabruf über BiPRO geändert",
    audit.BIPRO_ACCESS_CREATED: "BiPRO-Zugang angelegt",
    audit.BIPRO_ACCESS_RENEWED: "BiPRO-Zugang: Passwort erneuert",
    audit.BIPRO_ACCESS_REVOKED: "BiPRO-Zugang widerrufen",
    audit.BIPRO_ONLY_CHANGED: "„Nur über BiPRO-Zugänge“ geändert",
    audit.STS_CLOSED: "BiPRO-Anmeldung abgelehnt: nur über BiPRO-Zugänge",
    audit.SECOND_FACTOR_ENABLED: "Zweiter Faktor eingerichtet",
    audit.SECOND_FACTOR_DISABLED: "Zweiter Faktor ausgeschaltet",
    audit.SECOND_FACTOR_RESET: "Zweiter Faktor zurückgesetzt",
    audit.SECOND_FACTOR_FAILED: "Anmeldung: Sicherheitscode falsch",
    audit.RECOVERY_CODE_USED: "Wiederherstellungscode verwendet",
    audit.BROKER_CREATED: "Vermittler angelegt",
    audit.BROKER_UPDATED: "Vermittlerdaten geändert",
    audit.FIRST_PASSWORD_INVITED: "Link „Passwort festlegen“ versandt",
    audit.INTAKE_KEY_CREATED: "Intake-Schlüssel erzeugt",
    audit.INTAKE_KEY_REVOKED: "Intake-Schlüssel widerrufen",
    audit.DOCUMENTS_RECEIVED: "Dokumente eingestellt",
    audit.DASHBOARD_CONTENT_CHANGED: "Startseite (Neuigkeiten/Produktwelt) geändert",
}

CHANNELS = {"portal": "Extranet", "bipro": "BiPRO", "cli": "Verwaltung", "intake": "Dokumentannahme"}


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime  # German local time
    event: str
    label: str
    login: str
    channel: str  # German name of the door
    remote_addr: str
    detail: str


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    page: int  # 1-based, clamped to the pages there are
    pages: int
    total: int
    per_page: int

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_number(self) -> int:
        return self.first_number + len(self.entries) - 1 if self.entries else 0


def label(event: str) -> str:
    return LABELS.get(event, event)


# A revocation that found no live token changed nothing; it stays recorded but
# is noise in the broker's view (every password change without BiPRO use).
NOTHING_REVOKED = and_(AuditEvent.event == audit.TOKENS_REVOKED, AuditEvent.detail.like("0 Token%"))


def broker_events(session: Session, caller: Caller, page: int = 1, per_page: int = PER_PAGE) -> AuditPage:
    """One page of the events of the caller's broker, newest first, without no-op revocations."""
    per_page = max(1, min(per_page, MAX_PAGE_SIZE))
    scoped = and_(AuditEvent.broker_id == caller.broker_id, not_(NOTHING_REVOKED))
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(scoped)) or 0
    pages = max(1, -(-total // per_page))
    page = max(1, min(page, pages))
    rows = session.scalars(select(AuditEvent).where(scoped)
                           .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                           .offset((page - 1) * per_page).limit(per_page))
    entries = [AuditEntry(at=to_local(row.at), event=row.event, label=label(row.event), login=row.login,
                          channel=CHANNELS.get(row.channel, row.channel), remote_addr=row.remote_addr,
                          detail=row.detail) for row in rows]
    return AuditPage(entries, page, pages, total, per_page)
