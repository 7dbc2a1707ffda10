"""Norm 430: the Transfer service (listShipments, getShipment, acknowledgeShipment).

Every call is scoped to the broker behind the SecurityContextToken. Files
go out as MTOM parts or inline as base64, as the login chose (default:
``BIPRO_MTOM``), and always as MTOM when the request came as MTOM; either
way the answer streams (see ``attachments.py``).
"""

from __future__ import annotations

from spyne import ServiceBase

from bipro.core import shipments as core
from bipro.core.clock import to_local, wire_datetime
from bipro.core.file_names import clean_file_name
from bipro.core.shipments import ShipmentDetail, ShipmentSummary
from bipro.core.shipments.transfer_format import uses_mtom
from bipro.core.text_rules import visible_text
from bipro.observability import metrics
from bipro.observability.context import SOAP
from bipro.soap import faults
from bipro.soap.attachments import FileEmbedder
from bipro.soap.envelope import operation_response, optional, sub
from bipro.soap.faults import BiproFault, Meldung
from bipro.soap.namespaces import ALLG, GEVO, TRAN, q
from bipro.soap.service import Reply, SoapCall, operation
from bipro.soap.xmlutil import child, text

PATH = "/bipro/430_Transfer/Service_2.6.1.1.0"
WSDL_NAME = "430_Transfer_Service.wsdl"
TRUE_WORDS, FALSE_WORDS = ("true", "1"), ("false", "0", "")


class TransferService(ServiceBase):
    """Shipments of documents and GDV data for the calling broker."""

    @operation("listShipments")
    def list_shipments(call: SoapCall) -> Reply:
        request = _request(call)
        category = text(request, "KategorieDerLieferung")
        confirmed = _boolean(text(request, "BestaetigeLieferungen"), "tran:BestaetigeLieferungen")
        shipments = core.list_shipments(call.session, call.caller, category=category or None,
                                        include_acknowledged=confirmed)
        if shipments:
            meldung = Meldung(faults.TRANSFER_OK, f"{len(shipments)} Lieferung(en) bereitgestellt.",
                              faults.NOTE)
        else:
            meldung = Meldung(faults.NO_SHIPMENTS, "Es liegen keine Lieferungen vor.", faults.NOTE)
        envelope, response = operation_response(q(TRAN, "listShipments"), [meldung])
        for shipment in shipments:
            _lieferung(response, shipment)
        return Reply.of(envelope)

    @operation("getShipment")
    def get_shipment(call: SoapCall) -> Reply:
        detail = core.get_shipment(call.session, call.caller, _shipment_id(_request(call)))
        envelope, response = operation_response(
            q(TRAN, "getShipment"),
            [Meldung(faults.TRANSFER_OK, "Lieferung bereitgestellt.", faults.NOTE)])
        # An MTOM request is answered with MTOM; otherwise the login's own choice.
        mtom = call.arrived_as_mtom or uses_mtom(call.session, call.settings.mtom, call.caller)
        embedder = FileEmbedder(call.gateway.db, mtom=mtom)
        _transfer(_lieferung(response, detail.summary), detail, embedder)
        for file in detail.files:
            metrics.record_document(SOAP, file.size)
        return embedder.reply(envelope)

    @operation("acknowledgeShipment")
    def acknowledge_shipment(call: SoapCall) -> Reply:
        shipment_id = _shipment_id(_request(call))
        core.acknowledge_shipment(call.session, call.caller, shipment_id)
        envelope, _response = operation_response(
            q(TRAN, "acknowledgeShipment"),
            [Meldung(faults.TRANSFER_OK, f"Der Empfang der Lieferung {shipment_id} ist quittiert.",
                     faults.NOTE)])
        return Reply.of(envelope)


def _request(call: SoapCall):
    """The ``Request`` child; some clients put its fields directly in the body element."""
    request = child(call.request, "Request")
    return call.request if request is None else request


def _shipment_id(request) -> str:
    shipment_id = text(request, "ID")
    if not shipment_id:
        raise BiproFault.of(faults.INCOMPLETE_DATA, "Die ID der Lieferung fehlt.", quelle="tran:ID")
    if len(shipment_id) > 25:
        raise BiproFault.of(faults.INCOMPLETE_DATA, "Die ID der Lieferung ist länger als 25 Zeichen.",
                            quelle="tran:ID")
    return shipment_id


def _boolean(value: str | None, quelle: str) -> bool:
    word = (value or "").lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise BiproFault.of(faults.INCOMPLETE_DATA, f"{quelle} muss true oder false sein.", quelle=quelle)


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _lieferung(parent, shipment: ShipmentSummary):
    node = sub(parent, q(TRAN, "Lieferung"))
    sub(node, q(TRAN, "ID"), shipment.public_id)
    sub(node, q(TRAN, "Einstellzeitpunkt"), wire_datetime(to_local(shipment.created_at)))
    sub(node, q(TRAN, "Kategorie"), shipment.category)
    sub(node, q(TRAN, "VerfuegbarBis"), wire_datetime(to_local(shipment.available_until)))
    sub(node, q(TRAN, "ArtDerLieferung"), shipment.kind)
    sub(node, q(TRAN, "EnthaeltNurDaten"), _flag(shipment.data_only))
    sub(node, q(TRAN, "PeriodischeLieferung"), _flag(shipment.periodic))
    optional(node, q(TRAN, "Sparte"), shipment.sparte)
    sub(node, q(TRAN, "AnzahlTransfers"), shipment.transfer_count)
    return node


def _transfer(lieferung, detail: ShipmentDetail, embedder: FileEmbedder) -> None:
    """The one business event of a demo shipment with its files (fixed element order)."""
    shipment = detail.summary
    transfer = sub(lieferung, q(TRAN, "Transfer"))
    optional(transfer, q(GEVO, "Vorgangsnummer"), shipment.event_number)
    sub(transfer, q(GEVO, "Erstelldatum"), wire_datetime(to_local(shipment.created_at)))
    sub(transfer, q(GEVO, "ArtID"), shipment.category)
    for file in detail.files:
        datei = sub(transfer, q(ALLG, "Datei"))
        sub(datei, q(ALLG, "DateiID"), file.file_id)
        # Cleaned again on the way out: a name or title stored before the rule must not
        # make every getShipment of its shipment fail (lxml refuses non-XML characters).
        sub(datei, q(ALLG, "Dateiname"), clean_file_name(file.file_name))
        sub(datei, q(ALLG, "Dateityp"), file.file_type)
        embedder.embed(sub(datei, q(ALLG, "Daten")), file)
        sub(datei, q(ALLG, "Komprimierungstyp"), "KEINE")
        sub(datei, q(ALLG, "Erstelldatum"), wire_datetime(to_local(file.created_at)))
        optional(datei, q(ALLG, "DokumentartID"), file.document_type)
        optional(datei, q(ALLG, "Bezeichnung"), visible_text(file.title or ""))
        checksum = sub(datei, q(ALLG, "Pruefsumme"))
        sub(checksum, q(ALLG, "Typ"), "SHA1")
        sub(checksum, q(ALLG, "Wert"), file.sha1)
        sub(datei, q(ALLG, "IstEingangspost"), "false")
