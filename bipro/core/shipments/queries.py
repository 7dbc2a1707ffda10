"""List, get and acknowledge a broker's shipments (Norm 430 and the portal).

Every query is scoped to ``caller.broker_id``: another broker's shipment is
``ShipmentNotFound``, exactly like an unknown ID.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bipro.core.caller import Caller
from bipro.core.clock import to_local
from bipro.core.errors import Problem, ShipmentExpired, ShipmentNotFound, ValidationFailed
from bipro.core.formatting import format_datetime
from bipro.core.identity import audit
from bipro.core.shipments.model import FileInfo, ShipmentDetail, ShipmentSummary
from store.base import utcnow
from store.models import Document, Shipment

ALL_CATEGORIES = "999999999"
CATEGORY = re.compile(r"^[0-9]{9}$")


def check_category(category: str | None, field: str = "KategorieDerLieferung") -> str | None:
    """The category if it is nine digits (None passes); ValidationFailed otherwise."""
    if category is None:
        return None
    if not CATEGORY.match(category):
        raise ValidationFailed([Problem(
            field, f"Die Kategorie muss aus genau neun Ziffern bestehen, nicht '{category[:20]}'.")])
    return category


def list_shipments(session: Session, caller: Caller, *, category: str | None = None,
                   include_acknowledged: bool = False,
                   now: dt.datetime | None = None) -> list[ShipmentSummary]:
    """The broker's available shipments, oldest first.

    ``category`` narrows to one GeVo category; None or ``999999999`` means
    all. Acknowledged shipments are listed only with ``include_acknowledged``.
    Shipments past their VerfuegbarBis are never listed.
    """
    check_category(category)
    now = now or utcnow()
    query = (select(Shipment)
             .where(Shipment.broker_id == caller.broker_id, Shipment.available_until > now)
             .order_by(Shipment.created_at, Shipment.id))
    if category not in (None, ALL_CATEGORIES):
        query = query.where(Shipment.category == category)
    if not include_acknowledged:
        query = query.where(Shipment.acknowledged_at.is_(None))
    return [summarize(s) for s in session.scalars(query)]


def get_shipment(session: Session, caller: Caller, public_id: str,
                 now: dt.datetime | None = None) -> ShipmentDetail:
    """One shipment with its files (no bytes).

    ShipmentNotFound for an unknown ID or another broker's; ShipmentExpired
    once VerfuegbarBis has passed. Acknowledged shipments stay retrievable.
    """
    shipment = _own_shipment(session, caller, public_id)
    if shipment.available_until <= (now or utcnow()):
        raise ShipmentExpired(f"Die Lieferung {public_id} war nur bis "
                              f"{format_datetime(to_local(shipment.available_until))} Uhr verfügbar.")
    documents = session.scalars(
        select(Document).where(Document.shipment_id == shipment.id,
                               Document.broker_id == caller.broker_id).order_by(Document.id))
    return ShipmentDetail(summarize(shipment), [file_info(d) for d in documents])


def acknowledge_shipment(session: Session, caller: Caller, public_id: str,
                         now: dt.datetime | None = None) -> dt.datetime:
    """Mark a shipment as received; returns the time of the FIRST acknowledgement.

    Idempotent and safe when several clients acknowledge at once: one
    conditional UPDATE sets the time only while it is still empty, so the
    first acknowledgement's time stays and only it is audited. Commits the
    caller's transaction first, so that the UPDATE is the first statement of
    a new one (SQLite can then take its write lock without a stale snapshot).
    """
    now = now or utcnow()
    session.commit()
    claimed = session.execute(
        update(Shipment)
        .where(Shipment.public_id == public_id, Shipment.broker_id == caller.broker_id,
               Shipment.acknowledged_at.is_(None), Shipment.available_until > now)
        .values(acknowledged_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed == 1:
        audit.record(session, audit.SHIPMENT_ACKNOWLEDGED, login=caller.login, user_id=caller.user_id,
                     broker_id=caller.broker_id, channel=caller.channel,
                     remote_addr=caller.remote_addr, detail=f"Lieferung {public_id}")
        return now
    shipment = _own_shipment(session, caller, public_id)
    if shipment.acknowledged_at is not None:
        return shipment.acknowledged_at
    raise ShipmentExpired(f"Die Lieferung {public_id} ist nicht mehr verfügbar und kann nicht quittiert werden.")


def _own_shipment(session: Session, caller: Caller, public_id: str) -> Shipment:
    shipment = session.scalars(
        select(Shipment).where(Shipment.public_id == public_id,
                               Shipment.broker_id == caller.broker_id)
        .execution_options(populate_existing=True)
    ).first()
    if shipment is None:
        raise ShipmentNotFound(f"Es gibt keine Lieferung mit der ID '{public_id[:25]}'.")
    return shipment


def summarize(shipment: Shipment) -> ShipmentSummary:
    return ShipmentSummary(
        public_id=shipment.public_id, category=shipment.category, kind=shipment.kind,
        data_only=shipment.data_only, periodic=shipment.periodic, sparte=shipment.sparte,
        event_number=shipment.event_number, created_at=shipment.created_at,
        available_until=shipment.available_until, acknowledged_at=shipment.acknowledged_at,
    )


def file_info(document: Document) -> FileInfo:
    return FileInfo(
        document_id=document.id, file_id=document.file_id, file_name=document.file_name,
        media_type=document.media_type, file_type=document.file_type,
        document_type=document.document_type, title=document.title,
        created_at=document.created_at, size=document.size, sha1=document.sha1,
    )
