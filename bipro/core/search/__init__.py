"""The customer and contract lists: one query for the portal, its exports and BiPRO 480.

    page = fetch_page(session, caller, CUSTOMER_LIST, ListQuery(search="Max 1980"))
    for row in iter_rows(session, caller, CONTRACT_LIST, ListQuery(limit=None)): ...

Every function is scoped to the caller's broker; rows of other brokers never appear.
"""

from bipro.core.search.contracts import CONTRACT_LIST
from bipro.core.search.customers import CUSTOMER_LIST
from bipro.core.search.fetch import count_total, fetch_page, iter_rows, iter_values
from bipro.core.search.model import ASC, DESC, Column, ListPage, ListQuery, ListQueryError, ListRow
from bipro.core.search.spec import ListSpec
from bipro.core.search.terms import parse_terms

LISTS = {spec.name: spec for spec in (CUSTOMER_LIST, CONTRACT_LIST)}

__all__ = [
    "ASC", "CONTRACT_LIST", "CUSTOMER_LIST", "Column", "DESC", "LISTS", "ListPage", "ListQuery",
    "ListQueryError", "ListRow", "ListSpec", "count_total", "fetch_page", "iter_rows", "iter_values", "parse_terms",
]
