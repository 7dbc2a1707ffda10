"""Paged searches whose hits are whole customers or contracts, on the one list query.

A search is a list name and filters of that list (see ``bipro.core.search.customers``
and ``.contracts``), kept as a small JSON-able dict so a search context can
store it and page on later. Pages come in the list's order by Partnernummer
with the row id as tie-breaker: a total order, so consecutive pages neither
repeat nor skip a hit. Norm 480's enumeration pages on these searches; its
dialects and field names are the SOAP layer's (``bipro.soap.dialects``).
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from bipro.core import search as lists
from bipro.core.caller import Caller
from bipro.core.portfolio.records import ContractData, CustomerData, contracts_by_id, customers_by_id

STABLE_ORDER = (("partner_number", lists.ASC),)


def search_query(list_name: str, filters: Mapping[str, str]) -> dict:
    """The stored form of a search: ``{"list": ..., "filters": {...}}``."""
    return {"list": lists.LISTS[list_name].name, "filters": dict(filters)}


def search_page(session: Session, caller: Caller, query: dict, offset: int,
                limit: int) -> list[CustomerData | ContractData]:
    """Hits *offset* .. *offset + limit* of the caller's search, as full customers or contracts."""
    spec = lists.LISTS[query["list"]]
    page = lists.fetch_page(session, caller, spec, lists.ListQuery(
        order=STABLE_ORDER, offset=offset, limit=limit, filters=query["filters"]))
    ids = [row.id for row in page.rows]
    if spec is lists.CUSTOMER_LIST:
        return customers_by_id(session, caller, ids)
    return contracts_by_id(session, caller, ids)
