"""A search with more hits than the exact count's bound: "von mehr als ... Einträgen".

The portal here counts a search's hits exactly up to 30 (``LIST_EXACT_COUNT_LIMIT``,
10,000 in production), so the small demo shows what a broker sees on a
large portfolio: the pages the bound proves, Zurück / Nächste, and exports,
print and copy that still hold every row.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from flask import render_template_string

from bipro.core.search import CONTRACT_LIST, CUSTOMER_LIST
from portal import create_app
from portal.list_state import ListState, make_pager
from tests.support.lists import core_rows, info, link_args, pager, shown_rows
from tests.support.pages import clean, parse, table_rows
from tests.support.portal import log_in

LIMIT = 30


@pytest.fixture(scope="module")
def bounded_app(gateway):
    return create_app(gateway, {"TESTING": True, "LIST_EXACT_COUNT_LIMIT": LIMIT})


@pytest.fixture(scope="module")
def demo(bounded_app):
    client = bounded_app.test_client()
    assert log_in(client, "demo").status_code == 302
    return client


def test_the_info_line_says_more_than_the_bound(gateway, demo):
    expected = core_rows(gateway, CUSTOMER_LIST, search="e", order=[("town", "asc")])
    assert len(expected) > 60
    doc = parse(demo.get("/kunden?q=e&sort=town:asc"))
    assert shown_rows(doc) == expected[:10]
    assert info(doc) == f"1 bis 10 von mehr als {LIMIT} Einträgen (gefiltert von 140 Einträgen)"
    # 31 rows are proven: pages 1 to 4.
    assert pager(doc) == ["Zurück", "1", "2", "3", "4", "Nächste"]
    nxt = doc.xpath('//nav[@class="pager"]//a[@rel="next"]')[0].get("href")
    assert link_args(nxt) == {"q": ["e"], "sort": ["town:asc"], "page": ["2"]}


def test_next_pages_past_the_bound_stay_provable(gateway, demo):
    expected = core_rows(gateway, CUSTOMER_LIST, search="e", order=[("town", "asc")])
    doc = parse(demo.get("/kunden?q=e&sort=town:asc&page=4"))
    assert shown_rows(doc) == expected[30:40]
    assert info(doc) == "31 bis 40 von mehr als 40 Einträgen (gefiltert von 140 Einträgen)"
    assert pager(doc) == ["Zurück", "1", "2", "3", "4", "5", "Nächste"]
    # Far beyond the hits: the count is exact there, and the last page is shown.
    doc = parse(demo.get("/kunden?q=e&sort=town:asc&page=99"))
    last = -(-len(expected) // 10)
    assert info(doc) == (f"{(last - 1) * 10 + 1} bis {len(expected)} von {len(expected)} Einträgen"
                         " (gefiltert von 140 Einträgen)")
    assert not doc.xpath('//nav[@class="pager"]//a[@rel="next"]')


def test_a_search_under_the_bound_and_the_filters_stay_exact(gateway, demo):
    expected = core_rows(gateway, CUSTOMER_LIST, search="max")
    assert 0 < len(expected) <= LIMIT
    assert info(parse(demo.get("/kunden?q=max"))).startswith(f"1 bis {min(10, len(expected))} "
                                                              f"von {len(expected)} Einträgen")
    lebend = core_rows(gateway, CONTRACT_LIST, filters={"status": "lebend"})
    assert len(lebend) > LIMIT
    doc = parse(demo.get("/vertraege?status=lebend"))
    assert info(doc).startswith(f"1 bis 10 von {len(lebend)} Einträgen")
    assert info(parse(demo.get("/kunden"))) == "1 bis 10 von 140 Einträgen"


def test_datatables_flags_the_lower_bound(demo):
    body = demo.get("/kunden/daten?draw=2&start=0&length=10&search[value]=e").get_json()
    assert (body["recordsTotal"], body["recordsFiltered"], body["recordsFilteredIsLowerBound"]) == \
        (140, LIMIT, True)
    assert len(body["data"]) == 10
    body = demo.get("/kunden/daten?draw=2&start=50&length=10&search[value]=e").get_json()
    assert (body["recordsFiltered"], body["recordsFilteredIsLowerBound"]) == (60, True)
    body = demo.get("/kunden/daten?draw=3&search[value]=max").get_json()
    assert body["recordsFilteredIsLowerBound"] is False and body["recordsFiltered"] <= LIMIT
    body = demo.get("/kunden/daten?draw=4").get_json()
    assert (body["recordsFiltered"], body["recordsFilteredIsLowerBound"]) == (140, False)


def test_exports_print_and_copy_hold_every_row(gateway, demo):
    expected = core_rows(gateway, CUSTOMER_LIST, search="e", order=[("town", "asc")])
    state = {"q": "e", "sort": "town:asc"}
    text = demo.get("/kunden/csv", query_string=state).get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) - 1 == len(expected) > LIMIT
    assert [row[0] for row in rows[1:]] == [row[0] for row in expected]
    printed = table_rows(parse(demo.get("/kunden/drucken", query_string=state)), '//table[@id="druckliste"]')
    assert printed == expected
    copied = demo.get("/kunden/kopieren", query_string=state, headers={"Accept": "text/plain"})
    assert copied.status_code == 200 and int(copied.headers["X-Zeilen"]) == len(expected)


def test_capped_exports_still_refuse_past_their_cap(gateway):
    app = create_app(gateway, {"TESTING": True, "LIST_EXACT_COUNT_LIMIT": 5,
                               "LIST_PDF_MAX_ROWS": 50, "LIST_SCREEN_MAX_ROWS": 50})
    client = app.test_client()
    log_in(client)
    assert len(core_rows(gateway, CUSTOMER_LIST, search="e")) > 50
    assert client.get("/kunden/pdf?q=e").status_code == 302
    assert client.get("/kunden/drucken?q=e").status_code == 302
    assert client.get("/kunden/pdf?q=max").status_code == 200


def test_the_production_wording(bounded_app):
    pager_ = make_pager(ListState(search="lebend"), 10, 10_000, 1_000_000, True, more=True)
    with bounded_app.test_request_context():
        text_ = render_template_string('{% from "lists/parts.html" import info %}{{ info(p) }}', p=pager_)
    assert clean(re.sub(r"<[^>]+>", "", text_)) == ("1 bis 10 von mehr als 10.000 Einträgen "
                            "(gefiltert von 1.000.000 Einträgen)")
    assert pager_.pages == 1001 and pager_.items[-1] == 1001
