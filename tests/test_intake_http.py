"""Document intake over real HTTP: keys, metadata, file types, file names, idempotency, isolation."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bipro.core.caller import Caller
from bipro.core.errors import NotFound, ShipmentNotFound
from bipro.core.intake import revoke_key
from bipro.core.shipments import get_shipment, iter_file_contents, read_document
from store.models import Contract, Customer, Document, Shipment
from tests.support.bipro_client import request_token, service_client
from tests.support.callers import STAFF
from tests.support.intake import new_key, pdf_bytes, post, post_named, row_counts
from tests.support.portal import download_names, log_in
from tests.support.stress import portal_session
from tests.support.transfer import TRANSFER_PATH

DEMO, DEMO2 = "100100", "100200"


@pytest.fixture(scope="module")
def key(gateway):
    return new_key(gateway, "dms")


@pytest.fixture(scope="module")
def contract(gateway):
    """A contract of the demo broker: (Partnernummer, Versicherungsscheinnummer, Sparte)."""
    with gateway.db.session() as session:
        row = session.execute(select(Customer.partner_number, Contract.policy_number, Contract.sparte)
                              .join(Contract, Contract.customer_id == Customer.id)
                              .where(Contract.broker_id == 1).order_by(Contract.id)).first()
        return tuple(row)


def metadata(**changes):
    meta = {"Vermittlernummer": DEMO, "Kategorie": "140013000", "Dokumentart": "Rechnung",
            "Titel": "Beitragsrechnung 2027"}
    meta.update(changes)
    return {k: v for k, v in meta.items() if v is not None}


def caller(broker_id: int) -> Caller:
    return Caller(user_id=broker_id, broker_id=broker_id, login="demo" if broker_id == 1 else "demo2")


def test_a_document_arrives_for_its_broker_only(gateway, base_url, key, contract, app):
    partner, policy, sparte = contract
    content = pdf_bytes(3000)
    answer = post(base_url, key, metadata(Partnernummer=partner, Versicherungsscheinnummer=policy),
                  [("rechnung.pdf", content)])
    assert answer.status_code == 201, answer.text
    public_id = answer.json()["shipment_id"]
    assert answer.json()["files"] == 1

    with gateway.db.session() as session:
        detail = get_shipment(session, caller(1), public_id)
        assert (detail.summary.category, detail.summary.kind, detail.summary.sparte) == (
            "140013000", 1004, sparte)  # ArtDerLieferung from the category, Sparte from the contract
        [info] = detail.files
        assert (info.file_name, info.media_type, info.document_type, info.title) == (
            "rechnung.pdf", "application/pdf", "Rechnung", "Beitragsrechnung 2027")
        document_id = session.scalar(select(Document.id).join(Shipment).where(Shipment.public_id == public_id))
        with pytest.raises(ShipmentNotFound):
            get_shipment(session, caller(2), public_id)
        with pytest.raises(NotFound):
            read_document(session, caller(2), document_id)

    owner = app.test_client()
    assert log_in(owner, "demo").status_code == 302
    download = owner.get(f"/posteingang/{document_id}")
    assert download.status_code == 200 and download.data == content
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment")
    other = app.test_client()
    assert log_in(other, "demo2").status_code == 302
    assert other.get(f"/posteingang/{document_id}").status_code == 404


@pytest.mark.parametrize("given", [None, "", "bik_not-a-key", "Basic ZGVtbzpkZW1vLXBhc3N3b3J0"])
def test_a_wrong_key_gets_401_and_stores_nothing(gateway, base_url, given):
    before = row_counts(gateway)
    if given and given.startswith("Basic"):  # a broker's login is never an intake key
        import requests
        answer = requests.post(base_url + "/intake/documents", headers={"Authorization": given},
                               files={"file": ("a.pdf", pdf_bytes())}, data={"metadata": json.dumps(metadata())})
    else:
        answer = post(base_url, given, metadata(), [("a.pdf", pdf_bytes())])
    assert answer.status_code == 401
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    assert answer.json()["status"] == 401
    assert row_counts(gateway) == before


def test_a_revoked_key_gets_401(gateway, base_url):
    revoked = new_key(gateway, "old-dms")
    assert post(base_url, revoked, metadata(), [("a.pdf", pdf_bytes())]).status_code == 201
    with gateway.db.session() as session:
        revoke_key(session, "old-dms", by=STAFF)
    assert post(base_url, revoked, metadata(), [("a.pdf", pdf_bytes())]).status_code == 401


@pytest.mark.parametrize("meta, field", [
    (metadata(Vermittlernummer=None), "Vermittlernummer"),
    (metadata(Vermittlernummer="999999"), "Vermittlernummer"),
    (metadata(Kategorie="14001300"), "Kategorie"),
    (metadata(Dokumentart=None), "Dokumentart"),
    (metadata(Titel="x" * 201), "Titel"),
    (metadata(Titel="Rechnung\x00"), "Titel"),  # PostgreSQL refuses NUL: answered before
    (metadata(Vermittlernummer="100100\x00"), "Vermittlernummer"),
    (metadata(Dokumentart="Rechnung\u202e"), "Dokumentart"),
    (metadata(Sparte="13"), "Sparte"),
    (metadata(ArtDerLieferung="viele"), "ArtDerLieferung"),
    (metadata(Partnernummer="000000000"), "Partnernummer"),
    (metadata(Versicherungsscheinnummer="NICHT-DA"), "Versicherungsscheinnummer"),
    (metadata(Farbe="blau"), "Farbe"),
    ("{kein json", "metadata"),
    ("[1, 2]", "metadata"),
])
def test_bad_metadata_gets_422_naming_the_field_and_leaves_no_row(gateway, base_url, key, meta, field):
    before = row_counts(gateway)
    answer = post(base_url, key, meta, [("a.pdf", pdf_bytes())], idempotency_key=f"bad-{field}")
    assert answer.status_code == 422, answer.text
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["status"] == 422 and problem["title"]
    assert field in [e["field"] for e in problem["errors"]]
    assert row_counts(gateway) == before


def test_another_brokers_customer_is_unknown(gateway, base_url, key, contract):
    partner, policy, _sparte = contract  # demo's, posted for demo2
    answer = post(base_url, key, metadata(Vermittlernummer=DEMO2, Versicherungsscheinnummer=policy),
                  [("a.pdf", pdf_bytes())])
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["Versicherungsscheinnummer"]


@pytest.mark.parametrize("name, content", [
    ("brief.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
    ("bild.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
    ("leer.pdf", b""),
    ("programm.pdf", b"MZ\x90\x00" + bytes(500)),
])
def test_only_safe_types_are_accepted(gateway, base_url, key, name, content):
    before = row_counts(gateway)
    answer = post(base_url, key, metadata(), [(name, content)])
    assert answer.status_code == 415, answer.text
    assert answer.json()["errors"][0]["field"] == "file"
    assert row_counts(gateway) == before


@pytest.mark.parametrize("content, media_type", [
    (b"II*\x00" + bytes(100), "image/tiff"),
    (b"\x89PNG\r\n\x1a\n" + bytes(100), "image/png"),
    (b"\xff\xd8\xff\xe0" + bytes(100), "image/jpeg"),
    (b"PK\x03\x04" + bytes(100), "application/zip"),
    ((b"0001" + b"9999 Docura VVaG".ljust(252)) + b"\r\n", "text/plain; charset=ISO-8859-1"),
])
def test_each_accepted_type_is_stored_with_its_type(gateway, base_url, key, content, media_type):
    answer = post(base_url, key, metadata(), [("datei", content)])
    assert answer.status_code == 201, answer.text
    with gateway.db.session() as session:
        [info] = get_shipment(session, caller(1), answer.json()["shipment_id"]).files
    assert info.media_type == media_type


def test_the_same_idempotency_key_gives_the_same_shipment_once(gateway, base_url, key):
    content = pdf_bytes(5000)
    first = post(base_url, key, metadata(), [("a.pdf", content)], idempotency_key="brief-4711")
    before = row_counts(gateway)
    again = post(base_url, key, metadata(), [("a.pdf", content)], idempotency_key="brief-4711")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["shipment_id"] == first.json()["shipment_id"]
    assert row_counts(gateway) == before
    other_body = post(base_url, key, metadata(Titel="Etwas anderes"), [("a.pdf", content)],
                      idempotency_key="brief-4711")
    assert other_body.status_code == 409
    assert other_body.json()["status"] == 409
    assert row_counts(gateway) == before


def test_a_batch_is_one_shipment_with_every_file(gateway, base_url, key):
    contents = [pdf_bytes(1000), b"\x89PNG\r\n\x1a\n" + bytes(300), pdf_bytes(5 * 1024 * 1024)]
    meta = metadata(Dokumente=[{"Titel": "Anschreiben"}, {"Titel": "Foto", "Dokumentart": "Foto"},
                               {"Titel": "Police"}])
    answer = post(base_url, key, meta, [("a.pdf", contents[0]), ("b.png", contents[1]), ("c.pdf", contents[2])],
                  path="/intake/shipments")
    assert answer.status_code == 201, answer.text
    assert answer.json()["files"] == 3
    with gateway.db.session() as session:
        files = get_shipment(session, caller(1), answer.json()["shipment_id"]).files
        ids = session.execute(select(Document.id, Document.size).join(Shipment)
                              .where(Shipment.public_id == answer.json()["shipment_id"])
                              .order_by(Document.id)).all()
    assert [(f.title, f.document_type) for f in files] == [
        ("Anschreiben", "Rechnung"), ("Foto", "Foto"), ("Police", "Rechnung")]
    for (document_id, size), content in zip(ids, contents):
        assert b"".join(iter_file_contents(gateway.db.engine, document_id, size)) == content
    mismatch = post(base_url, key, metadata(Dokumente=[{"Titel": "nur eins"}]),
                    [("a.pdf", contents[0]), ("b.pdf", contents[0])], path="/intake/shipments")
    assert mismatch.status_code == 422 and mismatch.json()["errors"][0]["field"] == "Dokumente"


def test_a_file_over_the_intake_limit_gets_413(gateway, key, tmp_path):
    from dataclasses import replace

    from bipro.gateway import Gateway
    from bipro.wsgi import GatewayApplication
    from tests.support.server import served

    small = Gateway(replace(gateway.settings, intake_max_bytes=64 * 1024), gateway.db)
    before = row_counts(gateway)
    with served(GatewayApplication(small)) as url:
        answer = post(url, key, metadata(), [("gross.pdf", pdf_bytes(100 * 1024))])
    assert answer.status_code == 413
    assert answer.json()["status"] == 413
    assert row_counts(gateway) == before


def test_metadata_may_come_as_a_file_part(gateway, base_url, key):
    import requests

    answer = requests.post(base_url + "/intake/documents", headers={"Authorization": f"Bearer {key}"},
                           files={"file": ("a.pdf", pdf_bytes()),
                                  "metadata": ("meta.json", json.dumps(metadata()).encode(), "application/json")})
    assert answer.status_code == 201, answer.text


def test_the_server_accepts_intake_bodies_beyond_the_soap_limit(gateway):
    from bipro.serving import body_limit

    assert body_limit(gateway.settings) > gateway.settings.intake_max_bytes > gateway.settings.max_request_bytes


@pytest.fixture(scope="module")
def transfer(base_url):
    return service_client(base_url, TRANSFER_PATH, request_token(base_url, "demo"))


@pytest.fixture(scope="module")
def portal(base_url):
    return portal_session(base_url, "demo", "demo-passwort")


@pytest.mark.parametrize("encoded, stored", [
    ("Rechnung%2010%E2%82%AC.pdf", "Rechnung 10€.pdf"),
    ("%C5%81%C3%B3d%C5%BA%20Schaden.pdf", "Łódź Schaden.pdf"),
    ("Brief%20%22Kunde%22%20100%25.pdf", 'Brief "Kunde" 100%.pdf'),
    ("Brief%0D%0ABcc%3A%20x.pdf", "Brief Bcc: x.pdf"),
    ("Brief%01Kunde.pdf", "BriefKunde.pdf"),
    ("Brief%EF%BF%BE.pdf", "Brief.pdf"),
    ("Rechnung%E2%80%AEfdp.exe", "Rechnungfdp.exe"),  # a right-to-left override hid the real type
    ("Ba%CC%88r.pdf", "Bär.pdf"),  # decomposed umlaut: NFC
    ("..%5C..%5CWindows%5Cbrief.pdf", "brief.pdf"),
    ("%0D%0A%E2%80%8B", "Dokument-1"),
])
def test_any_file_name_is_stored_clean_and_the_file_reaches_the_broker(
        gateway, base_url, key, transfer, portal, encoded, stored):
    content = pdf_bytes(1500)
    answer = post_named(base_url, key, metadata(), encoded, content)
    assert answer.status_code == 201, answer.text
    public_id = answer.json()["shipment_id"]
    with gateway.db.session() as session:
        document_id, file_name, title = session.execute(
            select(Document.id, Document.file_name, Document.title).join(Shipment)
            .where(Shipment.public_id == public_id)).one()
    assert (file_name, title) == (stored, "Beitragsrechnung 2027")

    datei, = transfer.service.getShipment(Request={"ID": public_id}).Lieferung.Transfer[0].Datei
    assert (datei.Dateiname, datei.Daten._value_1) == (stored, content)

    download = portal.get(f"{base_url}/posteingang/{document_id}", timeout=30)
    assert download.status_code == 200 and download.content == content
    plain, extended = download_names(download.headers["Content-Disposition"])
    assert plain.isascii() and plain.isprintable() and not set(plain) & set('"\\%')
    assert (extended or plain) == stored
