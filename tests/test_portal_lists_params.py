"""The list pages with odd parameters, without login, and for the other broker.

Odd values fall back with a German notice and never end in a server error;
every list address needs a login; demo2 never sees demo's rows.
"""

from __future__ import annotations

import pytest

from bipro.core.search import CONTRACT_LIST, CUSTOMER_LIST
from tests.support.lists import core_rows, info, shown_rows, sql
from tests.support.pages import clean, parse

SPECS = {"/kunden": CUSTOMER_LIST, "/vertraege": CONTRACT_LIST}


# --- odd parameters ----------------------------------------------------------------------

@pytest.mark.parametrize("path, query, notice", [
    ("/kunden", "sort=password:asc", "Nach „password“ kann nicht sortiert werden"),
    ("/kunden", "sort=last_name:sideways", "Unbekannte Sortierrichtung"),
    ("/kunden", "size=7", "Diese Seitengröße gibt es nicht"),
    ("/kunden", "size=abc", "Diese Seitengröße gibt es nicht"),
    ("/kunden", "page=abc", "Die Seitenzahl war ungültig"),
    ("/kunden", "page=0", "Die Seitenzahl war ungültig"),
    ("/kunden", "page=-3", "Die Seitenzahl war ungültig"),
    ("/kunden", "page=99999999999999999999", "Die Seitenzahl war ungültig"),
    ("/kunden", "page=999", "angezeigt wird die letzte Seite"),
    ("/vertraege", "status=verschollen", "Status „verschollen“ gibt es nicht"),
    ("/vertraege", "sparte=99x", "Sparte „99x“ gibt es nicht"),
])
def test_odd_parameters_fall_back_with_a_notice(demo, path, query, notice):
    response = demo.get(f"{path}?{query}")
    assert response.status_code == 200
    doc = parse(response)
    notices = [clean(p.text_content()) for p in doc.xpath('//p[contains(@class, "alert-warn")]')]
    assert any(notice in n for n in notices), notices
    assert shown_rows(doc), "a list is still shown"


def test_a_page_beyond_the_end_shows_the_last_page(gateway, demo):
    doc = parse(demo.get("/kunden?page=999&q=Max"))
    expected = core_rows(gateway, CUSTOMER_LIST, search="Max")
    assert shown_rows(doc) == expected[-(len(expected) % 10 or 10):]


def test_a_search_the_core_refuses_is_a_german_message(demo):
    response = demo.get("/kunden", query_string={"q": "x" * 600})
    assert response.status_code == 400
    doc = parse(response)
    assert "länger als 500 Zeichen" in clean(doc.xpath('//div[@role="alert"]')[0].text_content())
    assert "Keine passenden Einträge gefunden" in doc.text_content()
    response = demo.get("/vertraege", query_string={"q": " ".join("t%d" % i for i in range(40))})
    assert response.status_code == 400


@pytest.mark.parametrize("query", ["q=%00", "q=%22", "sort=,,,", "sort=:", "q=%25_%5C", "size=", "sparte=alle"])
def test_strange_input_is_never_a_server_error(demo, query):
    for path in SPECS:
        assert demo.get(f"{path}?{query}").status_code in (200, 400)


# --- access ------------------------------------------------------------------------------

LIST_PATHS = [f"{base}{suffix}" for base in SPECS
              for suffix in ("", "/drucken", "/kopieren", "/excel", "/csv", "/pdf")]


@pytest.mark.parametrize("path", LIST_PATHS)
def test_login_required(app, path):
    response = app.test_client().get(path + "?q=Max")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


@pytest.mark.parametrize("path", ["/kunden/daten", "/vertraege/daten"])
def test_json_login_required(app, path):
    response = app.test_client().get(path + "?draw=1")
    assert response.status_code == 401
    assert "Bitte melden Sie sich an." in response.get_json()["error"]


def test_demo2_sees_only_its_own_customers_and_contracts(gateway, clients):
    own = {r[0] for r in sql(gateway, "SELECT partner_number FROM customers WHERE broker_id = 2")}
    doc = parse(clients["demo2"].get("/kunden?size=100"))
    assert info(doc) == f"1 bis {len(own)} von {len(own)} Einträgen"
    assert {row[0] for row in shown_rows(doc)} == own
    doc = parse(clients["demo2"].get("/vertraege?size=100"))
    contracts = sql(gateway, "SELECT policy_number FROM contracts WHERE broker_id = 2")
    assert {row[3] for row in shown_rows(doc)} <= {r[0] for r in contracts}
    assert {row[0] for row in shown_rows(doc)} <= own
    # A name of demo's finds nothing for demo2 (unless demo2 happens to have it too).
    name = sql(gateway, "SELECT last_name FROM customers WHERE broker_id = 1 AND last_name NOT IN "
                        "(SELECT last_name FROM customers WHERE broker_id = 2) ORDER BY id LIMIT 1")[0][0]
    doc = parse(clients["demo2"].get("/kunden", query_string={"q": name}))
    assert shown_rows(doc) == []
    assert shown_rows(parse(clients["demo"].get("/kunden", query_string={"q": name})))
