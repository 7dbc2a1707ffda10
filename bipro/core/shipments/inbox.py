"""The portal's "Letzter Posteingang": unread documents, and opening one."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bipro.core.caller import Caller
from bipro.core.errors import NotFound
from bipro.core.ids import is_possible_row_id
from bipro.core.shipments.content import iter_file_contents
from bipro.core.shipments.model import DocumentContent, InboxDocument
from store.base import utcnow
from store.german import person_name
from store.models import Contract, Customer, Document, Shipment

INBOX_LIMIT = 10


def unread_documents(session: Session, caller: Caller, *, limit: int = INBOX_LIMIT) -> list[InboxDocument]:
    """The broker's unread documents, newest first (at most *limit*)."""
    rows = session.execute(
        select(Document.id, Document.file_name, Document.title, Document.document_type,
               Document.media_type, Document.size, Document.created_at, Shipment.public_id,
               Shipment.customer_id, Customer.title.label("customer_title"), Customer.first_name,
               Customer.last_name, Contract.policy_number)
        .join(Shipment, Shipment.id == Document.shipment_id)
        .outerjoin(Customer, Customer.id == Shipment.customer_id)
        .outerjoin(Contract, Contract.id == Shipment.contract_id)
        .where(Document.broker_id == caller.broker_id, Document.read_at.is_(None))
        .order_by(Document.created_at.desc(), Document.id.desc())
        .limit(limit)
    )
    return [InboxDocument(
        document_id=r.id, shipment_id=r.public_id, file_name=r.file_name, title=r.title,
        document_type=r.document_type, media_type=r.media_type, size=r.size,
        created_at=r.created_at, customer_id=r.customer_id,
        customer_name=person_name(r.first_name, r.last_name, r.customer_title),
        policy_number=r.policy_number or "",
    ) for r in rows]


def unread_count(session: Session, caller: Caller) -> int:
    """How many of the broker's documents are still unread."""
    return session.scalar(select(func.count()).select_from(Document)
                          .where(Document.broker_id == caller.broker_id, Document.read_at.is_(None)))


def read_document(session: Session, caller: Caller, document_id: int) -> DocumentContent:
    """One document of the broker with its bytes as a stream; marks it read (the first time only).

    The bytes are read in slices through a connection of their own while
    they are being sent, so a large file never sits in memory whole.
    NotFound for an unknown document or another broker's.
    """
    if not is_possible_row_id(document_id):
        raise NotFound("Das Dokument wurde nicht gefunden.")
    session.execute(
        update(Document)
        .where(Document.id == document_id, Document.broker_id == caller.broker_id,
               Document.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    row = session.execute(
        select(Document.id, Document.file_name, Document.media_type, Document.title,
               Document.size, Document.sha1)
        .where(Document.id == document_id, Document.broker_id == caller.broker_id)
    ).first()
    if row is None:
        raise NotFound("Das Dokument wurde nicht gefunden.")
    return DocumentContent(document_id=row.id, file_name=row.file_name, media_type=row.media_type,
                           title=row.title, size=row.size, sha1=row.sha1,
                           chunks=iter_file_contents(session.get_bind(), row.id, row.size))
