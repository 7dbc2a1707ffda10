"""The lists' reference: every row of a broker, its displayed values, Python search and sort.

The manual's rules written plainly in Python over the demo rows, so the
core's plans (text index, sort-order walk, budget fallback) can be held
against them; ``planned`` forces each plan on the small demo.
"""

from __future__ import annotations

from contextlib import ExitStack, contextmanager
from unittest import mock

from sqlalchemy import select

from bipro.core.formatting import format_date, format_money
from bipro.core.search import CONTRACT_LIST, CUSTOMER_LIST, ListQuery, fetch, iter_rows, parse_terms, plan
from bipro.core.search.budget import BudgetSpent
from store.code_lists import SPARTE, VERTRAGSSTATUS
from store.models import Contract, Customer
from store.sort_keys import german_sort_key as german
from tests.support.callers import of_broker

DEMO, DEMO2 = 1, 2


def _customers(session, broker_id):
    rows = session.scalars(select(Customer).where(Customer.broker_id == broker_id)).all()
    return [{"id": c.id, "shown": (c.partner_number, c.first_name, c.last_name, c.street, c.postcode,
                                   c.town, format_date(c.birth_date)),
             "sort": {"partner_number": (c.id,), "first_name": (german(c.first_name),),
                      "last_name": (german(c.last_name),), "street": (german(c.street),),
                      "postcode": (c.postcode,), "town": (german(c.town),), "birth_date": (c.birth_date,)},
             "search_text": c.search_text, "fields": c, "policies": [k.policy_number for k in c.contracts]}
            for c in rows]


def _contracts(session, broker_id):
    rows = session.execute(select(Contract, Customer).join(Customer, Customer.id == Contract.customer_id)
                           .where(Contract.broker_id == broker_id)).all()
    return [{"id": k.id, "shown": (c.partner_number, f"{c.first_name} {c.last_name}", c.town,
                                   k.policy_number, SPARTE.names[k.sparte], VERTRAGSSTATUS.names[k.status],
                                   format_money(k.net_premium), format_money(k.gross_premium),
                                   format_date(k.stand)),
             "sort": {"partner_number": (c.id,), "customer": (german(c.last_name), german(c.first_name), c.id),
                      "town": (german(c.town), c.id), "policy_number": (k.policy_number,), "sparte": (k.sparte,),
                      "status": (k.status, k.sparte), "net_premium": (k.net_premium,),
                      "gross_premium": (k.gross_premium,), "stand": (k.stand,)},
             "search_text": k.search_text, "fields": k, "customer": c}
            for k, c in rows]


REFERENCE = {"customers": _customers, "contracts": _contracts}
SPECS = {"customers": CUSTOMER_LIST, "contracts": CONTRACT_LIST}


def matches(search: str, shown) -> bool:
    """The manual: every term is a case-insensitive substring of some displayed column."""
    return all(any(term in value.lower() for value in shown) for term in parse_terms(search))


def python_order(rows, order):
    rows = sorted(rows, key=lambda r: r["id"], reverse=order[-1][1] == "desc")
    for key, direction in reversed(order):
        rows = sorted(rows, key=lambda r: r["sort"][key], reverse=direction == "desc")
    return [r["id"] for r in rows]


def ids(session, broker_id, spec, **query):
    return [row.id for row in iter_rows(session, of_broker(broker_id), spec, ListQuery(limit=None, **query))]


def _budget_spent(*_args):
    raise BudgetSpent


@contextmanager
def planned(mode: str):
    """Force the plan choices, so the small demo exercises every path of the big lists.

    ``walk``: SQLite walks the sort order and PostgreSQL tries it within a
    budget (real, generous); ``fallback``: the same with every budget spent
    at once, so the page comes from the fetched and sorted hits.
    """
    walk = {"SMALL_LIST": 0, "WALK_MIN_MATCHES": 0, "WALK_SHARE": 0}
    patches = {"auto": {}, "fts": {"SMALL_LIST": 0, "WALK_MIN_MATCHES": 10**9},
               "walk": walk, "fallback": walk}[mode]
    with ExitStack() as stack:
        stack.enter_context(mock.patch.multiple(plan, **patches)) if patches else None
        if mode in ("walk", "fallback"):
            stack.enter_context(mock.patch.object(fetch, "PG_SORT_HITS_MAX", -1))
        if mode == "fallback":
            stack.enter_context(mock.patch.object(fetch, "within_budget", _budget_spent))
        yield


PLAN_MODES = ("auto", "fts", "walk", "fallback")


def build_reference(gateway) -> dict:
    """(list name, broker id): the reference rows of both demo brokers."""
    with gateway.db.session() as session:
        return {(name, broker): build(session, broker)
                for name, build in REFERENCE.items() for broker in (DEMO, DEMO2)}
