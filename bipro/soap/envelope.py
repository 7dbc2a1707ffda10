"""Building responses: the envelope with fixed prefixes, the status frame, faults.

Elements are always created below an envelope that declares every prefix,
so lxml never redeclares a namespace further down and the prefixes stay
exactly as broker programs expect.
"""

from __future__ import annotations

import copy

from lxml import etree

from bipro.core.clock import local_now, wire_datetime
from bipro.observability import context
from bipro.soap.faults import ERROR, BiproFault, Meldung
from bipro.soap.namespaces import BIPRO_VERSION, NAC, RESPONSE_NSMAP, SOAPENV, q


class Envelope:
    """A response envelope under construction."""

    def __init__(self, extra_nsmap: dict[str, str] | None = None) -> None:
        key = tuple(sorted(extra_nsmap.items())) if extra_nsmap else ()
        template = _templates.get(key)
        if template is None:
            template = _template(key)
        self.root = copy.deepcopy(template)  # lxml copies into this thread's own document
        self.header = None
        self.body = self.root[0]

    def to_bytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="utf-8")


# An empty envelope per prefix set, made once and only ever copied: declaring
# some twenty namespaces costs about eight times copying them.
_templates: dict[tuple, etree._Element] = {}


def _template(extra: tuple) -> etree._Element:
    nsmap = dict(RESPONSE_NSMAP)
    nsmap.update(extra)
    template = etree.Element(q(SOAPENV, "Envelope"), nsmap=nsmap)
    etree.SubElement(template, q(SOAPENV, "Body"))
    _templates[extra] = template  # two threads racing here build the same template
    return template


_template(())


def sub(parent, qname: str, text: object | None = None, **attrib) -> etree._Element:
    """A child element with optional text; None text leaves it empty."""
    element = etree.SubElement(parent, qname, **attrib)
    if text is not None:
        element.text = text if isinstance(text, str) else str(text)
    return element


def optional(parent, qname: str, value: object | None) -> None:
    """Add the element only when there is a value (minOccurs=0 fields)."""
    if value not in (None, ""):
        sub(parent, qname, value)


def status(parent, meldungen: list[Meldung], *, ok: bool = True, version: str = BIPRO_VERSION):
    """``nac:BiPROVersion`` then ``nac:Status`` as the frame of every response."""
    sub(parent, q(NAC, "BiPROVersion"), version)
    node = sub(parent, q(NAC, "Status"))
    # The call's ProzessID, which is its request id where the gateway made that.
    sub(node, q(NAC, "ProzessID"), context.prozess_id())
    sub(node, q(NAC, "Zeitstempel"), wire_datetime(local_now()))
    sub(node, q(NAC, "StatusID"), "OK" if ok else "NOK")
    sub(node, q(NAC, "Schwebe"), "false")
    if meldungen:
        context.note_meldung(meldungen[0].code)
    for meldung in meldungen:
        m = sub(node, q(NAC, "Meldung"))
        sub(m, q(NAC, "ArtID"), meldung.art)
        sub(m, q(NAC, "MeldungID"), meldung.code)
        optional(m, q(NAC, "Text"), meldung.text)
        optional(m, q(NAC, "Quelle"), meldung.quelle)
    return node


def operation_response(operation_qname: str, meldungen: list[Meldung], *,
                       extra_nsmap: dict[str, str] | None = None,
                       version: str = BIPRO_VERSION) -> tuple[Envelope, etree._Element]:
    """``<op>Response/Response`` with the status frame; returns the Response to fill."""
    envelope = Envelope(extra_nsmap)
    wrapper = sub(envelope.body, operation_qname + "Response")
    namespace = etree.QName(operation_qname).namespace
    response = sub(wrapper, q(namespace, "Response"))
    ok = all(m.art != ERROR for m in meldungen)
    status(response, meldungen, ok=ok, version=version)
    return envelope, response


def fault_envelope(fault: BiproFault, *, version: str = BIPRO_VERSION) -> Envelope:
    """SOAP 1.1 Fault with ``nac:BiproException`` in ``detail``."""
    envelope = Envelope()
    node = sub(envelope.body, q(SOAPENV, "Fault"))
    # faultcode, faultstring and detail are unqualified in SOAP 1.1.
    sub(node, "faultcode", fault.faultcode)
    first = fault.meldungen[0] if fault.meldungen else Meldung("99999", "Unbekannter Fehler")
    context.note_meldung(first.code, fault=True)
    sub(node, "faultstring", f"{first.code}: {first.text}".strip(": "))
    detail = sub(node, "detail")
    exception = sub(detail, q(NAC, "BiproException"))
    status(exception, fault.meldungen, ok=False, version=version)
    return envelope
