"""Norm 430 Transfer over real HTTP with zeep: list, get (MTOM and base64), acknowledge."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from dataclasses import replace

import pytest
from lxml import etree
from sqlalchemy import func, select, update
from zeep.exceptions import Fault

from bipro.core.identity import audit
from bipro.gateway import Gateway
from bipro.soap.namespaces import ALLG, NAC, TRAN, XMIME, XOP, q
from bipro.soap.registry import soap_applications
from bipro.wsgi import GatewayApplication
from store.base import utcnow
from store.models import AuditEvent, Document, Shipment
from tests.support import soapraw
from tests.support.bipro_client import request_token, service_client
from tests.support.server import served
from tests.support.transfer import TRANSFER_PATH, assert_valid_body, decode_mtom, publish_bytes, random_pdf, wsgi_post

DEMO, DEMO2 = 1, 2
DATEI_ORDER = ["DateiID", "Dateiname", "Dateityp", "Daten", "Komprimierungstyp", "Erstelldatum",
               "DokumentartID", "Bezeichnung", "Pruefsumme", "IstEingangspost"]


@pytest.fixture(scope="module")
def token(base_url):
    return request_token(base_url, "demo")


@pytest.fixture(scope="module")
def token2(base_url):
    return request_token(base_url, "demo2")


@pytest.fixture(scope="module")
def transfer_client(base_url, token):
    return service_client(base_url, TRANSFER_PATH, token)


@pytest.fixture(scope="module")
def raw_client(base_url, token):
    return service_client(base_url, TRANSFER_PATH, token, raw=True)


@pytest.fixture(scope="module")
def base64_url(gateway):
    """The same database served by a second gateway that answers with inline base64."""
    inline = Gateway(settings=replace(gateway.settings, mtom=False), db=gateway.db)
    with served(GatewayApplication(inline)) as url:
        yield url


@pytest.fixture
def files(tmp_path):
    return {"Police.pdf": random_pdf(70_000), "Anlage 1.txt": "Grüße aus Bochum\r\n".encode("utf-8")}


def meldung_ids(fault: Fault) -> list[str]:
    return [e.text for e in fault.detail.iter(q(NAC, "MeldungID"))]


def open_shipments(gateway, broker_id: int) -> set[str]:
    with gateway.db.session() as session:
        return set(session.scalars(select(Shipment.public_id).where(
            Shipment.broker_id == broker_id, Shipment.acknowledged_at.is_(None),
            Shipment.available_until > utcnow())))


def test_list_shows_the_brokers_open_shipments(transfer_client, raw_client, gateway):
    answer = transfer_client.service.listShipments(Request={"BiPROVersion": "2.6.1.1.0"})
    assert [m.MeldungID for m in answer.Status.Meldung] == ["04000"]
    assert {s.ID for s in answer.Lieferung} == open_shipments(gateway, DEMO)
    first = answer.Lieferung[0]
    assert len(first.Kategorie) == 9 and first.AnzahlTransfers == 1
    assert first.VerfuegbarBis > first.Einstellzeitpunkt
    raw = raw_client.service.listShipments(Request={})
    assert raw.headers["Content-Type"].startswith("text/xml")
    assert_valid_body(etree.fromstring(raw.content))


def test_list_filters_by_category(transfer_client):
    everything = transfer_client.service.listShipments(Request={"KategorieDerLieferung": "999999999"})
    invoices = transfer_client.service.listShipments(Request={"KategorieDerLieferung": "140013000"})
    assert invoices.Lieferung and all(s.Kategorie == "140013000" for s in invoices.Lieferung)
    assert {s.ID for s in invoices.Lieferung} < {s.ID for s in everything.Lieferung}


def test_list_without_matches_says_04001(transfer_client):
    answer = transfer_client.service.listShipments(Request={"KategorieDerLieferung": "123456789"})
    assert answer.Lieferung == []
    assert answer.Status.StatusID == "OK"
    assert [(m.ArtID, m.MeldungID) for m in answer.Status.Meldung] == [("Hinweis", "04001")]


def test_get_shipment_by_mtom_carries_the_published_bytes(transfer_client, raw_client, gateway, tmp_path, files):
    shipment_id = publish_bytes(gateway, tmp_path, DEMO, files)
    answer = transfer_client.service.getShipment(Request={"ID": shipment_id})
    assert answer.Status.Meldung[0].MeldungID == "04000"
    transfer, = answer.Lieferung.Transfer
    assert transfer.ArtID == "100007000" and transfer.Vorgangsnummer
    received = {d.Dateiname: d for d in transfer.Datei}
    assert set(received) == set(files)
    for name, data in files.items():
        datei = received[name]
        assert datei.Daten._value_1 == data
        assert (datei.Pruefsumme.Typ, datei.Pruefsumme.Wert) == ("SHA1", hashlib.sha1(data).hexdigest())
        assert datei.Komprimierungstyp == "KEINE" and datei.Dateityp == "Dokument"

    raw = raw_client.service.getShipment(Request={"ID": shipment_id})
    content_type = raw.headers["Content-Type"]
    assert content_type.startswith('multipart/related; type="application/xop+xml"; start="<')
    assert 'start-info="text/xml"' in content_type
    assert int(raw.headers["Content-Length"]) == len(raw.content)
    mtom = decode_mtom(content_type, raw.content)
    assert mtom.root_headers["Content-Type"] == 'application/xop+xml; charset=utf-8; type="text/xml"'
    assert f'start="{mtom.root_headers["Content-ID"]}"' in content_type
    envelope = etree.fromstring(mtom.envelope_bytes)
    includes = list(envelope.iter(q(XOP, "Include")))
    assert len(includes) == len(files)
    for include, data in zip(includes, files.values()):
        cid = include.get("href").removeprefix("cid:")
        assert "%" not in cid and mtom.parts[cid][1] == data
        assert include.getparent().get(q(XMIME, "contentType")) == mtom.parts[cid][0]
    for datei in envelope.iter(q(ALLG, "Datei")):
        assert [etree.QName(c).localname for c in datei] == DATEI_ORDER
    assert_valid_body(mtom.reconstructed())


def test_get_shipment_inline_base64(base64_url, token, gateway, tmp_path, files):
    shipment_id = publish_bytes(gateway, tmp_path, DEMO, files)
    answer = service_client(base64_url, TRANSFER_PATH, token).service.getShipment(Request={"ID": shipment_id})
    received = {d.Dateiname: d for d in answer.Lieferung.Transfer[0].Datei}
    for name, data in files.items():
        assert received[name].Daten._value_1 == data
        assert received[name].Pruefsumme.Wert == hashlib.sha1(data).hexdigest()
    raw = service_client(base64_url, TRANSFER_PATH, token, raw=True).service.getShipment(
        Request={"ID": shipment_id})
    assert raw.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert int(raw.headers["Content-Length"]) == len(raw.content)
    envelope = etree.fromstring(raw.content)
    assert not list(envelope.iter(q(XOP, "Include")))
    daten = [d.get(q(XMIME, "contentType")) for d in envelope.iter(q(ALLG, "Daten"))]
    assert daten == ["application/pdf", "text/plain"]
    assert_valid_body(envelope)


def test_acknowledge_drops_the_shipment_from_the_default_list(transfer_client, raw_client, gateway, tmp_path, files):
    shipment_id = publish_bytes(gateway, tmp_path, DEMO, files)
    assert shipment_id in {s.ID for s in transfer_client.service.listShipments(Request={}).Lieferung}
    first = transfer_client.service.acknowledgeShipment(Request={"ID": shipment_id})
    assert first.Status.Meldung[0].MeldungID == "04000"
    with gateway.db.session() as session:
        stamped = session.scalar(select(Shipment.acknowledged_at).where(Shipment.public_id == shipment_id))
    assert stamped is not None
    raw = raw_client.service.acknowledgeShipment(Request={"ID": shipment_id})
    assert_valid_body(etree.fromstring(raw.content))
    assert soapraw.SoapAnswer(raw.status_code, "", raw.content).meldung_ids == ["04000"]

    assert shipment_id not in {s.ID for s in transfer_client.service.listShipments(Request={}).Lieferung}
    listed = transfer_client.service.listShipments(Request={"BestaetigeLieferungen": True}).Lieferung
    assert shipment_id in {s.ID for s in listed}
    assert transfer_client.service.getShipment(Request={"ID": shipment_id}).Lieferung.ID == shipment_id
    with gateway.db.session() as session:
        assert session.scalar(select(Shipment.acknowledged_at).where(Shipment.public_id == shipment_id)) == stamped
        audits = session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.event == audit.SHIPMENT_ACKNOWLEDGED, AuditEvent.detail.contains(shipment_id)))
    assert audits == 1


def test_another_broker_sees_none_of_them(base_url, token2, transfer_client, gateway):
    other = service_client(base_url, TRANSFER_PATH, token2)
    listed = {s.ID for s in other.service.listShipments(Request={"BestaetigeLieferungen": True}).Lieferung}
    assert listed and not listed & open_shipments(gateway, DEMO)
    demo_id = sorted(open_shipments(gateway, DEMO))[0]
    for operation in (other.service.getShipment, other.service.acknowledgeShipment):
        with pytest.raises(Fault) as caught:
            operation(Request={"ID": demo_id})
        assert meldung_ids(caught.value) == ["04003"]
    assert demo_id in open_shipments(gateway, DEMO)


def test_unknown_id_is_04003(transfer_client, base_url, token):
    with pytest.raises(Fault) as caught:
        transfer_client.service.getShipment(Request={"ID": "L-GIBT-ES-NICHT"})
    assert meldung_ids(caught.value) == ["04003"]
    body = (f'<tran:getShipment xmlns:tran="{TRAN}"><tran:Request>'
            "<tran:ID>L-GIBT-ES-NICHT</tran:ID></tran:Request></tran:getShipment>")
    answer = soapraw.post(base_url + TRANSFER_PATH, soapraw.envelope(body, soapraw.sct_header(token)))
    assert answer.is_fault and answer.meldung_ids == ["04003"] and answer.status_id == "NOK"
    assert_valid_body(answer.tree)


def test_expired_shipment_is_04006_and_not_listed(transfer_client, gateway, tmp_path, files):
    shipment_id = publish_bytes(gateway, tmp_path, DEMO, files, days=1,
                                now=utcnow() - dt.timedelta(days=3))
    listed = transfer_client.service.listShipments(Request={"BestaetigeLieferungen": True}).Lieferung
    assert shipment_id not in {s.ID for s in listed}
    for operation in (transfer_client.service.getShipment, transfer_client.service.acknowledgeShipment):
        with pytest.raises(Fault) as caught:
            operation(Request={"ID": shipment_id})
        assert meldung_ids(caught.value) == ["04006"]


def test_concurrent_acknowledgements_keep_one_timestamp(gateway, token, tmp_path, files):
    """Eight clients acknowledge the same shipment at the same moment: all 04000, one timestamp."""
    shipment_id = publish_bytes(gateway, tmp_path, DEMO, files)
    body = (f'<tran:acknowledgeShipment xmlns:tran="{TRAN}"><tran:Request>'
            f"<tran:ID>{shipment_id}</tran:ID></tran:Request></tran:acknowledgeShipment>")
    message = soapraw.envelope(body, soapraw.sct_header(token))
    # In-process WSGI calls, so all eight really run at once (the shared server has 4 threads).
    app = soap_applications(gateway)[TRANSFER_PATH]
    barrier = threading.Barrier(8)
    answers = []

    def acknowledge():
        barrier.wait()
        started, body = wsgi_post(app, TRANSFER_PATH, message.encode())
        answers.append(soapraw.SoapAnswer(int(started["status"][:3]), "", b"".join(body)))

    threads = [threading.Thread(target=acknowledge) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.meldung_ids for a in answers] == [["04000"]] * 8
    with gateway.db.session() as session:
        assert session.scalar(select(Shipment.acknowledged_at).where(Shipment.public_id == shipment_id))
        audits = session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.event == audit.SHIPMENT_ACKNOWLEDGED, AuditEvent.detail.contains(shipment_id)))
    assert audits == 1


@pytest.mark.parametrize("stored, sent, title", [
    ("Brief\x01Kunde.pdf", "BriefKunde.pdf", "BriefKunde.pdf"),
    ("Brief\ufffe.pdf", "Brief.pdf", "Brief.pdf"),
    ("Brief\r\nBcc: x.pdf", "Brief Bcc: x.pdf", "Brief Bcc: x.pdf"),
    ("Ordner/Brief\u202e.pdf", "Brief.pdf", "Ordner/Brief.pdf"),  # a title is no file name
])
def test_a_name_stored_with_control_characters_still_goes_out_clean(
        transfer_client, base64_url, token, gateway, tmp_path, files, stored, sent, title):
    """Names and titles stored before file names were cleaned: getShipment answers, cleaned."""
    data = files["Police.pdf"]
    shipment_id = publish_bytes(gateway, tmp_path, DEMO, {"Police.pdf": data})
    with gateway.db.session() as session:
        session.execute(update(Document)
                        .where(Document.shipment_id == select(Shipment.id)
                               .where(Shipment.public_id == shipment_id).scalar_subquery())
                        .values(file_name=stored, title=f"Alt {stored}"))
    for transfer in (transfer_client, service_client(base64_url, TRANSFER_PATH, token)):
        answer = transfer.service.getShipment(Request={"ID": shipment_id})
        assert answer.Status.Meldung[0].MeldungID == "04000"
        datei, = answer.Lieferung.Transfer[0].Datei
        assert (datei.Dateiname, datei.Bezeichnung, datei.Daten._value_1) == (sent, f"Alt {title}", data)
