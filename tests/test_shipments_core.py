"""The shipment use cases the portal calls directly: Posteingang, reading, scoping."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from bipro.core.caller import Caller
from bipro.core.errors import NotFound, ShipmentNotFound, ValidationFailed
from bipro.core.shipments import (
    NewFile,
    acknowledge_shipment,
    get_shipment,
    iter_file_contents,
    list_shipments,
    publish_shipment,
    read_document,
    unread_documents,
)
from bipro.core.shipments.content import CHUNK_SIZE, INLINE_LIMIT
from store.models import Document, DocumentPart, Shipment
from tests.support.callers import STAFF

DEMO = Caller(user_id=1, broker_id=1, login="demo", channel="portal")
DEMO2 = Caller(user_id=2, broker_id=2, login="demo2", channel="portal")


def test_unread_documents_newest_first_and_opening_marks_read(gateway):
    with gateway.db.session() as session:
        inbox = unread_documents(session, DEMO, limit=50)
        assert inbox
        assert [d.created_at for d in inbox] == sorted((d.created_at for d in inbox), reverse=True)
        unread_in_db = session.scalars(select(Document.id).where(
            Document.broker_id == 1, Document.read_at.is_(None))).all()
        assert {d.document_id for d in inbox} <= set(unread_in_db)
        assert all(d.policy_number and d.customer_name for d in inbox)
    newest = inbox[0]
    with gateway.db.session() as session:
        document = read_document(session, DEMO, newest.document_id)
    content = b"".join(document.chunks)  # streamed after the session has closed
    assert document.size == len(content)
    assert hashlib.sha1(content).hexdigest() == document.sha1
    assert content.startswith(b"%PDF")
    with gateway.db.session() as session:
        assert newest.document_id not in {d.document_id for d in unread_documents(session, DEMO, limit=50)}
        first_read = session.get(Document, newest.document_id).read_at
    with gateway.db.session() as session:
        read_document(session, DEMO, newest.document_id)
    with gateway.db.session() as session:
        assert session.get(Document, newest.document_id).read_at == first_read


def test_another_brokers_document_is_not_found(gateway):
    with gateway.db.session() as session:
        foreign = unread_documents(session, DEMO2)[0]
    with gateway.db.session() as session, pytest.raises(NotFound):
        read_document(session, DEMO, foreign.document_id)
    with gateway.db.session() as session:
        assert session.get(Document, foreign.document_id).read_at is None
        assert all(d.document_id != foreign.document_id for d in unread_documents(session, DEMO, limit=100))


def test_shipments_are_scoped_to_the_broker(gateway):
    with gateway.db.session() as session:
        mine = list_shipments(session, DEMO, include_acknowledged=True)
        theirs = list_shipments(session, DEMO2, include_acknowledged=True)
        assert mine and theirs and not {s.public_id for s in mine} & {s.public_id for s in theirs}
        with pytest.raises(ShipmentNotFound):
            get_shipment(session, DEMO, theirs[0].public_id)
        with pytest.raises(ShipmentNotFound):
            acknowledge_shipment(session, DEMO, theirs[0].public_id)
        detail = get_shipment(session, DEMO, mine[0].public_id)
        assert detail.files and detail.total_size == sum(f.size for f in detail.files)


def test_publish_validates_its_input(gateway, tmp_path):
    present = tmp_path / "a.pdf"
    present.write_bytes(b"%PDF")
    with gateway.db.session() as session:
        with pytest.raises(ValidationFailed, match="neun Ziffern"):
            publish_shipment(session, 1, "1000070", [NewFile(present)], available_days=1, by=STAFF)
        with pytest.raises(ValidationFailed, match="nicht gefunden"):
            publish_shipment(session, 1, "100007000", [NewFile(tmp_path / "fehlt.pdf")], available_days=1, by=STAFF)
        with pytest.raises(ValidationFailed, match="neun Ziffern"):
            list_shipments(session, DEMO, category="abc")


def test_large_files_are_stored_and_read_in_slices(gateway, tmp_path):
    data = bytes(range(256)) * ((INLINE_LIMIT + CHUNK_SIZE // 2) // 256)
    path = tmp_path / "gross.pdf"
    path.write_bytes(data)
    with gateway.db.session() as session:
        published = publish_shipment(session, 1, "100007000", [NewFile(path)], available_days=5, by=STAFF)
    with gateway.db.session() as session:
        document = session.scalar(select(Document).join(Shipment).where(Shipment.id == published.shipment_id))
        parts = session.scalars(select(DocumentPart.seq).where(DocumentPart.document_id == document.id)).all()
        assert document.content is None
        assert parts == list(range(len(data) // CHUNK_SIZE + 1))
        streamed = list(iter_file_contents(gateway.db.engine, document.id, document.size))
        assert b"".join(streamed) == data and max(map(len, streamed)) <= CHUNK_SIZE
        opened = read_document(session, DEMO, document.id)
        streamed = list(opened.chunks)
        assert b"".join(streamed) == data and opened.sha1 == hashlib.sha1(data).hexdigest()
        assert max(map(len, streamed)) <= CHUNK_SIZE  # never the whole file at once
