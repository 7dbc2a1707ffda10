"""Helpers for the Norm 420 tests: request dicts for zeep, raw requests, schema checks."""

from __future__ import annotations

from datetime import date
from typing import Any, Mapping

import pytest
from lxml import etree
from zeep.exceptions import Fault
from zeep.plugins import HistoryPlugin

from bipro.soap.namespaces import NAC, SOAPENV, TAA
from bipro.soap.service import SCHEMA_DIR

TAA_PATH = "/bipro/420_TAA/Service_2.6.1.1.0"
NS = {"soapenv": SOAPENV, "nac": NAC, "taa": TAA}

# tarifierung.xsd imports nachrichten.xsd, so one schema checks answers and faults.
SCHEMA = etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "tarifierung.xsd")))


def tarifierung(product_id: str, sparte: str, answers: Mapping[str, Any],
                on: date | None = None) -> dict:
    """One taa:Tarifierung as zeep takes it; answers become Angabe name/value pairs."""
    entry: dict[str, Any] = {
        "Verkaufsprodukt": {"Sparte": sparte, "ProduktID": product_id},
        "Risikodaten": {"Angabe": [{"Name": name, "Wert": str(value)}
                                   for name, value in answers.items()]},
    }
    if on is not None:
        entry["Berechnungsdatum"] = on
    return entry


def angabe_quelle(number: int, name: str) -> str:
    return f"taa:Tarifierung[{number}]/taa:Risikodaten/taa:Angabe[taa:Name='{name}']"


class Recorder(HistoryPlugin):
    """Keeps the last envelope received, to check it against our XSD."""

    def received_body(self) -> etree._Element:
        envelope = self.last_received["envelope"]
        body = envelope.find("soapenv:Body", NS)
        return body[0]


def assert_valid(element: etree._Element) -> None:
    """The body element (or nac:BiproException) validates against our schemas."""
    if not SCHEMA.validate(element):
        raise AssertionError(str(SCHEMA.error_log))


def body_of_answer(tree: etree._Element) -> etree._Element:
    return tree.find("soapenv:Body", NS)[0]


def fault_meldungen(detail: etree._Element) -> list[tuple[str, str, str]]:
    """(MeldungID, Text, Quelle) of every Meldung in a fault detail."""
    return [(m.findtext("nac:MeldungID", namespaces=NS), m.findtext("nac:Text", namespaces=NS),
             m.findtext("nac:Quelle", default="", namespaces=NS))
            for m in detail.iterfind(".//nac:Meldung", NS)]


def refused(client, recorder: Recorder, *entries: dict) -> list[tuple[str, str, str]]:
    """Call getQuote expecting a fault; check the BiproException and return its Meldungen."""
    with pytest.raises(Fault) as info:
        client.service.getQuote(Request={"Tarifierung": list(entries)})
    exception = info.value.detail.find("nac:BiproException", NS)
    assert exception is not None
    assert_valid(exception)
    assert exception.findtext("nac:Status/nac:StatusID", namespaces=NS) == "NOK"
    return fault_meldungen(info.value.detail)


def raw_getquote(entries_xml: str, *, prefix: str = "taa") -> str:
    """A getQuote body written by hand; ``prefix=""`` uses a default namespace."""
    if prefix:
        return (f'<{prefix}:getQuote xmlns:{prefix}="{TAA}"><{prefix}:Request>'
                f"{entries_xml}</{prefix}:Request></{prefix}:getQuote>")
    return f'<getQuote xmlns="{TAA}"><Request>{entries_xml}</Request></getQuote>'
