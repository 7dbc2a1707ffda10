"""Norm 480's filter dialects: BiPRO's words for the core's lists and their filters.

A wsen:Filter names its dialect by URI and its fields by BiPRO name; here
they become a search in the core's own terms (list name and filter names,
``bipro.core.search.hits``).
"""

from __future__ import annotations

from collections.abc import Mapping

from bipro.core import search as lists
from bipro.core.search import hits

PARTNER_DIALECT = "http://www.bipro.net/namespace/kontext/partner"
VERTRAG_DIALECT = "http://www.bipro.net/namespace/kontext/vertrag"

# Dialect -> (the list it searches, BiPRO field -> filter of that list)
DIALECTS: Mapping[str, tuple[str, Mapping[str, str]]] = {
    PARTNER_DIALECT: (lists.CUSTOMER_LIST.name, {
        "Name": "last_name", "Vorname": "first_name", "Strasse": "street",
        "Postleitzahl": "postcode", "Ort": "town", "Versicherungsscheinnummer": "policy_number"}),
    VERTRAG_DIALECT: (lists.CONTRACT_LIST.name, {
        "Partnernummer": "partner_number", "Versicherungsscheinnummer": "policy_number"}),
}
DIALECT_FIELDS = {dialect: tuple(fields) for dialect, (_, fields) in DIALECTS.items()}


def search_query(dialect: str, values: Mapping[str, str]) -> dict:
    """The core's search for BiPRO filter *values* (field name -> value) of *dialect*."""
    list_name, fields = DIALECTS[dialect]
    return hits.search_query(list_name, {fields[name]: value for name, value in values.items()})
