"""Helpers for the Partner, Vertrag, search and Extranet tests: XSD checks and fault reading."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lxml import etree

from bipro.soap.namespaces import NAC, SOAPENV, q

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


@lru_cache(maxsize=None)
def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def body_element(xml: bytes):
    """The one element inside soapenv:Body (the response or the Fault)."""
    body = etree.fromstring(xml).find(q(SOAPENV, "Body"))
    return next(c for c in body if isinstance(c.tag, str))


def assert_valid(xml: bytes, schema_name: str):
    """Validate the body element (or a fault's BiproException) against our XSD; returns it."""
    element = body_element(xml)
    if element.tag == q(SOAPENV, "Fault"):
        element = element.find(f"detail/{q(NAC, 'BiproException')}")
        schema_name = "nachrichten.xsd"
    checker = schema(schema_name)
    document = etree.ElementTree(etree.fromstring(etree.tostring(element)))
    if not checker.validate(document):
        raise AssertionError(f"{schema_name}: {checker.error_log}")
    return element


def fault_meldungen(fault_detail) -> list[tuple[str, str]]:
    """(MeldungID, Text) of every Meldung in a zeep Fault's detail element."""
    return [(m.findtext(q(NAC, "MeldungID")), m.findtext(q(NAC, "Text")) or "")
            for m in fault_detail.iter(q(NAC, "Meldung"))]
