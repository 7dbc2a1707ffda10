"""The lists in the DataTables server-side protocol: the same query as the pages.

``draw`` is echoed as a number, the counts are the page's counts, ``order[i]``
indexes the list's columns, ``data`` holds the texts as shown plus the AKTION
links; anything DataTables would never send is a 400 with a German ``error``.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bipro.core.search import CONTRACT_LIST, CUSTOMER_LIST, ListQuery, fetch_page
from tests.support.callers import of_broker


def core(gateway, spec, broker_id=1, **query):
    with gateway.db.session() as session:
        page = fetch_page(session, of_broker(broker_id), spec, ListQuery(**query))
        return page, [list(spec.display(row)) for row in page.rows]


def count(gateway, statement: str) -> int:
    with gateway.db.engine.connect() as conn:
        return conn.execute(text(statement)).scalar_one()


def test_draw_is_echoed_as_a_number_with_the_counts(gateway, clients):
    answer = clients["demo"].get("/kunden/daten?draw=7&start=0&length=10")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    body = answer.get_json()
    assert body["draw"] == 7 and isinstance(body["draw"], int)
    assert body["recordsTotal"] == body["recordsFiltered"] == 140
    page, rows = core(gateway, CUSTOMER_LIST)
    assert [row[:-1] for row in body["data"]] == rows
    assert [row[-1] for row in body["data"]] == [{"customer": f"/kunden/{r[0]}"} for r in rows]


def test_search_and_two_sort_columns(gateway, clients):
    args = {"draw": "3", "start": "5", "length": "25", "search[value]": "e 19",
            "order[0][column]": "2", "order[0][dir]": "asc",  # NAME
            "order[1][column]": "6", "order[1][dir]": "desc"}  # GEBURTSDATUM
    body = clients["demo"].get("/kunden/daten", query_string=args).get_json()
    page, rows = core(gateway, CUSTOMER_LIST, search="e 19", offset=5, limit=25,
                      order=[("last_name", "asc"), ("birth_date", "desc")])
    assert body["draw"] == 3
    assert (body["recordsTotal"], body["recordsFiltered"]) == (140, page.filtered)
    assert 0 < page.filtered < 140
    assert [row[:-1] for row in body["data"]] == rows
    for before, after in zip(rows, rows[1:]):  # the second key orders equal names
        if before[2] == after[2]:
            assert before[6][6:] + before[6][3:5] + before[6][:2] >= \
                after[6][6:] + after[6][3:5] + after[6][:2]


def test_contracts_with_filters_and_both_links(gateway, clients):
    args = {"draw": "1", "length": "50", "status": "lebend", "sparte": "130",
            "order[0][column]": "7", "order[0][dir]": "desc"}  # BRUTTO
    body = clients["demo"].get("/vertraege/daten", query_string=args).get_json()
    page, rows = core(gateway, CONTRACT_LIST, limit=50, order=[("gross_premium", "desc")],
                      filters={"status": "lebend", "sparte": "130"})
    assert body["recordsFiltered"] == count(
        gateway, "SELECT count(*) FROM contracts WHERE broker_id = 1 AND status = 1 AND sparte = '130'")
    assert body["recordsTotal"] == count(gateway, "SELECT count(*) FROM contracts WHERE broker_id = 1")
    assert [row[:-1] for row in body["data"]] == rows
    assert {row[4] for row in rows} == {"Hausrat"} and {row[5] for row in rows} == {"lebend"}
    assert body["data"][0][-1] == {"customer": f"/kunden/{rows[0][0]}",
                                   "contract": f"/vertraege/{rows[0][3]}"}


def test_defaults_without_parameters(clients):
    body = clients["demo"].get("/kunden/daten").get_json()
    assert body["draw"] == 0 and len(body["data"]) == 10


@pytest.mark.parametrize("query, words", [
    ("draw=abc", "draw"),
    ("draw=1&start=-1", "start"),
    ("draw=1&length=-1", "höchstens 1.000"),
    ("draw=1&length=5000", "length"),
    ("draw=1&start=1e3", "start"),
    ("draw=1&order[0][column]=99", "Spalte 99"),
    ("draw=1&order[0][column]=7", "Spalte 7"),  # AKTION is no data column
    ("draw=1&order[0][column]=x", "Spalte x"),
    ("draw=1&order[0][dir]=asc", "Spalte (keine)"),
    ("draw=1&order[0][column]=1&order[0][dir]=sideways", "Sortierrichtung"),
    ("draw=1&search[value]=" + "x" * 600, "500 Zeichen"),
])
def test_bad_input_is_a_400_with_a_german_error(clients, query, words):
    answer = clients["demo"].get(f"/kunden/daten?{query}")
    assert answer.status_code == 400
    body = answer.get_json()
    assert words in body["error"]
    assert body["data"] == [] and isinstance(body["draw"], int)


@pytest.mark.parametrize("query", ["status=verschollen", "sparte=1300"])
def test_a_filter_the_core_refuses_is_a_400(clients, query):
    answer = clients["demo"].get(f"/vertraege/daten?draw=2&{query}")
    assert answer.status_code == 400
    assert answer.get_json()["error"].startswith("Unbekannte")
    assert answer.get_json()["draw"] == 2


def test_demo2_never_gets_demos_rows(gateway, clients):
    body = clients["demo2"].get("/kunden/daten?draw=1&length=1000").get_json()
    own = count(gateway, "SELECT count(*) FROM customers WHERE broker_id = 2")
    assert body["recordsTotal"] == body["recordsFiltered"] == own == len(body["data"])
    with gateway.db.engine.connect() as conn:
        theirs = {r[0] for r in conn.execute(text(
            "SELECT partner_number FROM customers WHERE broker_id = 1"))}
    assert not {row[0] for row in body["data"]} & theirs
    body = clients["demo2"].get("/vertraege/daten?draw=1&length=1000").get_json()
    assert body["recordsTotal"] == count(gateway, "SELECT count(*) FROM contracts WHERE broker_id = 2")
    assert not {row[0] for row in body["data"]} & theirs
