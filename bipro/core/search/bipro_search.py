"""Norm 480's searches on the one list query: BiPRO filter fields to list filters, hits as data.

A search is kept as a small JSON-able dict (list name and filters) so a
search context can store it and page on later. Pages come in the list's
order by Partnernummer with the row id as tie-breaker: a total order, so
consecutive pages neither repeat nor skip a hit.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bipro.core import search as lists
from bipro.core.caller import Caller
from bipro.core.portfolio.records import ContractData, CustomerData, contracts_by_id, customers_by_id

PARTNER_DIALECT = "http://www.bipro.net/namespace/kontext/partner"
VERTRAG_DIALECT = "http://www.bipro.net/namespace/kontext/vertrag"

# BiPRO field -> filter of the list (see bipro.core.search.customers / .contracts)
_PARTNER_FILTERS = {"Name": "last_name", "Vorname": "first_name", "Strasse": "street",
                    "Postleitzahl": "postcode", "Ort": "town", "Versicherungsscheinnummer": "policy_number"}
_VERTRAG_FILTERS = {"Partnernummer": "partner_number", "Versicherungsscheinnummer": "policy_number"}
_DIALECTS = {
    PARTNER_DIALECT: (lists.CUSTOMER_LIST, _PARTNER_FILTERS),
    VERTRAG_DIALECT: (lists.CONTRACT_LIST, _VERTRAG_FILTERS),
}
DIALECT_FIELDS = {dialect: tuple(fields) for dialect, (_, fields) in _DIALECTS.items()}
STABLE_ORDER = (("partner_number", lists.ASC),)


def search_query(dialect: str, values: dict[str, str]) -> dict:
    """The stored form of a search: ``{"list": ..., "filters": {...}}``."""
    spec, fields = _DIALECTS[dialect]
    return {"list": spec.name, "filters": {fields[name]: value for name, value in values.items()}}


def search_page(session: Session, caller: Caller, query: dict, offset: int,
                limit: int) -> list[CustomerData | ContractData]:
    """Hits *offset* .. *offset + limit* of the caller's search, as full customers or contracts."""
    spec = lists.LISTS[query["list"]]
    page = lists.fetch_page(session, caller.broker_id, spec, lists.ListQuery(
        order=STABLE_ORDER, offset=offset, limit=limit, filters=query["filters"]))
    ids = [row.id for row in page.rows]
    if spec is lists.CUSTOMER_LIST:
        return customers_by_id(session, caller, ids)
    return contracts_by_id(session, caller, ids)
