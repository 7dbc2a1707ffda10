"""The portal's Posteingang: every document of the broker, paged, filtered and searched.

Newest first, 25 a page. Filters: read state (alle / ungelesen / gelesen) and
Dokumentart; the search finds a contract number or a customer name (every
blank-separated term must match one of them, case-insensitive substring).
Opening a document marks it read (``inbox.read_document``);
``mark_unread`` undoes that. Every query is scoped to the caller's broker.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from bipro.core.caller import Caller
from bipro.core.errors import NotFound
from bipro.core.shipments.model import InboxDocument
from store.german import person_name
from store.models import Contract, Customer, Document, Shipment

PAGE_SIZE = 25
ALL, UNREAD, READ = "alle", "ungelesen", "gelesen"
READ_STATES = (ALL, UNREAD, READ)
MAX_SEARCH = 200  # characters; longer input is cut, it can only be a mistake
MAX_TERMS = 8

# Dokumentart codes as the broker reads them; unknown codes are shown as they are.
DOCUMENT_TYPE_NAMES = {
    "Police": "Police",
    "Nachtrag": "Nachtrag",
    "Rechnung": "Rechnung",
    "Erinnerung": "Erinnerung",
    "Anschreiben": "Anschreiben",
    "SonstigesDokument": "Sonstiges Dokument",
}


def document_type_name(code: str) -> str:
    return DOCUMENT_TYPE_NAMES.get(code, code)


@dataclass(frozen=True)
class InboxQuery:
    """What the broker asks the Posteingang for; values already checked by the adapter."""

    read: str = ALL
    document_type: str = ""  # empty: every Dokumentart
    search: str = ""
    page: int = 1

    @property
    def is_filtered(self) -> bool:
        return self.read != ALL or bool(self.document_type) or bool(self.search.strip())


@dataclass(frozen=True)
class InboxPage:
    documents: list[InboxDocument]
    page: int  # 1-based, clamped to the pages there are
    pages: int
    matching: int  # documents matching the query
    total: int  # all documents of the broker
    per_page: int = PAGE_SIZE
    document_types: list[str] = field(default_factory=list)  # codes the broker has, sorted

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.documents else 0

    @property
    def last_number(self) -> int:
        return self.first_number + len(self.documents) - 1 if self.documents else 0


def search_terms(text: str) -> list[str]:
    """Blank-separated terms, lower-cased, at most MAX_TERMS."""
    return [t.lower() for t in text[:MAX_SEARCH].split()][:MAX_TERMS]


def _conditions(caller: Caller, query: InboxQuery) -> list:
    conditions = [Document.broker_id == caller.broker_id]
    if query.read == UNREAD:
        conditions.append(Document.read_at.is_(None))
    elif query.read == READ:
        conditions.append(Document.read_at.is_not(None))
    if query.document_type:
        conditions.append(Document.document_type == query.document_type)
    for term in search_terms(query.search):
        conditions.append(or_(
            func.lower(func.coalesce(Contract.policy_number, "")).contains(term, autoescape=True),
            func.lower(func.coalesce(Customer.first_name, "")).contains(term, autoescape=True),
            func.lower(func.coalesce(Customer.last_name, "")).contains(term, autoescape=True),
        ))
    return conditions


def _joined(statement):
    return (statement.join(Shipment, Shipment.id == Document.shipment_id)
            .outerjoin(Customer, Customer.id == Shipment.customer_id)
            .outerjoin(Contract, Contract.id == Shipment.contract_id))


def inbox_page(session: Session, caller: Caller, query: InboxQuery) -> InboxPage:
    """One page of the broker's documents matching *query*, newest first."""
    conditions = _conditions(caller, query)
    matching = session.scalar(_joined(select(func.count(Document.id))).where(and_(*conditions))) or 0
    total = session.scalar(select(func.count(Document.id))
                           .where(Document.broker_id == caller.broker_id)) or 0
    pages = max(1, -(-matching // PAGE_SIZE))
    page = max(1, min(query.page, pages))
    rows = session.execute(
        _joined(select(Document.id, Document.file_name, Document.title, Document.document_type,
                       Document.media_type, Document.size, Document.created_at, Document.read_at,
                       Shipment.public_id, Shipment.customer_id,
                       Customer.title.label("customer_title"), Customer.first_name,
                       Customer.last_name, Customer.partner_number, Contract.policy_number))
        .where(and_(*conditions))
        .order_by(Document.created_at.desc(), Document.id.desc())
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    )
    documents = [InboxDocument(
        document_id=r.id, shipment_id=r.public_id, file_name=r.file_name, title=r.title,
        document_type=r.document_type, media_type=r.media_type, size=r.size,
        created_at=r.created_at, customer_id=r.customer_id,
        customer_name=person_name(r.first_name, r.last_name, r.customer_title),
        policy_number=r.policy_number or "", read_at=r.read_at,
        partner_number=r.partner_number or "",
    ) for r in rows]
    return InboxPage(documents=documents, page=page, pages=pages, matching=matching, total=total,
                     document_types=document_types(session, caller))


def document_types(session: Session, caller: Caller) -> list[str]:
    """The Dokumentart codes among the broker's documents, for the filter."""
    return sorted(session.scalars(select(Document.document_type).distinct()
                                  .where(Document.broker_id == caller.broker_id)))


def mark_unread(session: Session, caller: Caller, document_id: int) -> None:
    """"Als ungelesen markieren": the document counts as new again. NotFound for a foreign one."""
    changed = session.execute(
        update(Document)
        .where(Document.id == document_id, Document.broker_id == caller.broker_id)
        .values(read_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        raise NotFound("Das Dokument wurde nicht gefunden.")
