"""Reading the fields of a BiPRO request, whatever prefixes and nesting the client chose."""

from __future__ import annotations

from bipro.soap import faults
from bipro.soap.faults import BiproFault
from bipro.soap.xmlutil import child, descendant


def request_part(body_element):
    """The ``Request`` child of an operation element, or the element itself when a
    client put the fields directly below it."""
    found = child(body_element, "Request")
    return body_element if found is None else found


def field(request, name: str) -> str | None:
    """Stripped text of the first element *name* (any namespace) below *request*."""
    node = child(request, name)
    if node is None:
        node = descendant(request, name)
    if node is None:
        return None
    return (node.text or "").strip()


def required_field(request, name: str, quelle: str) -> str:
    value = field(request, name)
    if not value:
        raise BiproFault.of(faults.INCOMPLETE_DATA, f"Das Feld {name} fehlt oder ist leer.", quelle=quelle)
    return value
