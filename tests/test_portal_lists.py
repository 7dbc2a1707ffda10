"""Kundenübersicht and Bestandsverträge: the pages show what the core list query returns.

Counts, texts and links as in the manual; search, sort, paging, page size and
the contract filter all live in the URL; odd parameters fall back with a
German notice and never end in a server error; demo2 never sees demo's rows.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import text

from bipro.core.lists import CONTRACT_LIST, CUSTOMER_LIST, ListQuery, fetch_page, iter_rows
from portal import create_app
from tests.support.pages import clean, parse, table_rows
from tests.support.portal import log_in

BROKERS = {"demo": 1, "demo2": 2}
SPECS = {"/kunden": CUSTOMER_LIST, "/vertraege": CONTRACT_LIST}


@pytest.fixture(scope="module")
def app(gateway):
    return create_app(gateway, {"TESTING": True})


@pytest.fixture(scope="module")
def clients(app):
    logged_in = {}
    for login in BROKERS:
        client = app.test_client()
        assert log_in(client, login).status_code == 302
        logged_in[login] = client
    return logged_in


@pytest.fixture(scope="module")
def demo(clients):
    return clients["demo"]


def core_rows(gateway, spec, broker_id=1, **query):
    """Every row the core returns for the query, as shown (German texts)."""
    with gateway.db.session() as session:
        return [list(spec.display(row))
                for row in iter_rows(session, broker_id, spec, ListQuery(limit=None, **query))]


def core_page(gateway, spec, broker_id=1, **query):
    with gateway.db.session() as session:
        return fetch_page(session, broker_id, spec, ListQuery(**query))


def shown_rows(doc) -> list[list[str]]:
    """The list's body rows without the AKTION cell."""
    return [cells[:-1] for cells in table_rows(doc, '//table[@id="liste"]') if len(cells) > 1]


def info(doc) -> str:
    return clean(doc.get_element_by_id("list-info").text_content())


def pager(doc) -> list[str]:
    return [clean(li.text_content()) for li in doc.xpath('//nav[@class="pager"]//li')]


def header_link(doc, header: str) -> dict[str, list[str]]:
    link = doc.xpath(f'//table[@id="liste"]//th/a[span[1]="{header}"]')[0]
    return parse_qs(urlsplit(link.get("href")).query)


def link_args(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def sql(gateway, statement: str, **params):
    with gateway.db.engine.connect() as conn:
        return conn.execute(text(statement), params).all()


# --- the first page ----------------------------------------------------------------------

def test_customer_list_first_page_as_in_the_manual(gateway, demo):
    response = demo.get("/kunden")
    assert response.status_code == 200
    doc = parse(response)
    assert clean(doc.xpath("//h1")[0].text_content()) == \
        "Kundenliste: Übersicht über alle Kunden in Ihrem Bestand"
    assert "Ihr Einstieg in die Kundenverwaltung" in doc.text_content()
    headers = [clean(th.text_content()).split(" ")[0]
               for th in doc.xpath('//table[@id="liste"]/thead//th')]
    assert headers == ["ID", "VORNAME", "NAME", "STRASSE", "PLZ", "ORT", "GEBURTSDATUM", "AKTION"]
    assert info(doc) == "1 bis 10 von 140 Einträgen"
    assert pager(doc) == ["Zurück", "1", "2", "3", "4", "5", "…", "14", "Nächste"]
    expected = core_rows(gateway, CUSTOMER_LIST)[:10]
    assert shown_rows(doc) == expected
    # AKTION opens the customer of the row.
    actions = doc.xpath('//table[@id="liste"]//td[@class="actions"]/a/@href')
    assert actions == [f"/kunden/{row[0]}" for row in expected]
    for label in ("Suchen", "Drucken", "Kopieren", "Excel", "CSV", "PDF", "Einträge anzeigen"):
        assert label in doc.text_content()


def test_contract_list_first_page(gateway, demo):
    doc = parse(demo.get("/vertraege"))
    total = sql(gateway, "SELECT count(*) FROM contracts WHERE broker_id = 1")[0][0]
    assert info(doc) == f"1 bis 10 von {total} Einträgen"
    expected = core_rows(gateway, CONTRACT_LIST)[:10]
    assert shown_rows(doc) == expected
    assert all(cell.endswith(" €") for row in expected for cell in row[6:8])
    cells = doc.xpath('//table[@id="liste"]//td[@class="actions"]')
    assert [a.get("href") for a in cells[0].xpath("a")] == [f"/kunden/{expected[0][0]}",
                                                             f"/vertraege/{expected[0][3]}"]
    assert [a.get("aria-label") for a in cells[0].xpath("a")] == [
        f"Kunde {expected[0][0]} öffnen", f"Vertrag {expected[0][3]} öffnen"]
    assert clean(doc.xpath("//legend")[0].text_content()) == "Filter"


# --- search ------------------------------------------------------------------------------

@pytest.mark.parametrize("search, terms", [("Max 1980", ["max", "1980"]), ("44789 07", ["44789", "07"])])
def test_the_manuals_searches(gateway, demo, search, terms):
    doc = parse(demo.get("/kunden", query_string={"q": search, "size": 100}))
    expected = core_rows(gateway, CUSTOMER_LIST, search=search)
    assert expected, "the demo data has customers for the manual's examples"
    assert shown_rows(doc) == expected
    for row in expected:  # every term is in some column
        assert all(any(term in cell.lower() for cell in row) for term in terms)
    assert info(doc) == f"1 bis {len(expected)} von {len(expected)} Einträgen (gefiltert von 140 Einträgen)"
    assert doc.get_element_by_id("suche").get("value") == search


def test_a_search_without_hits_says_so(demo):
    doc = parse(demo.get("/kunden?q=Xyzzy-niemand"))
    assert shown_rows(doc) == []
    assert "Keine passenden Einträge gefunden" in doc.text_content()
    assert info(doc) == "0 bis 0 von 0 Einträgen (gefiltert von 140 Einträgen)"


def test_the_search_form_keeps_sort_and_size(demo):
    doc = parse(demo.get("/kunden?q=Max&sort=last_name:desc&size=25&page=2"))
    form = doc.xpath('//form[@role="search"]')[0]
    assert form.get("method") == "get"
    hidden = {i.get("name"): i.get("value") for i in form.xpath('.//input[@type="hidden"]')}
    assert hidden == {"sort": "last_name:desc", "size": "25"}  # a new search starts on page 1
    assert doc.xpath('//label[@for="suche"]')[0].text == "Suchen"


# --- sort --------------------------------------------------------------------------------

def test_header_links_sort_by_one_column_and_toggle(gateway, demo):
    doc = parse(demo.get("/kunden"))
    # The default order (ID ascending) is visible; a click on ID reverses it.
    th = doc.xpath('//table[@id="liste"]//th[@aria-sort]')
    assert [(clean(t.text_content()).split(" ")[0], t.get("aria-sort")) for t in th] == [("ID", "ascending")]
    assert header_link(doc, "ID")["sort"] == ["partner_number:desc"]
    assert header_link(doc, "NAME")["sort"] == ["last_name:asc"]

    doc = parse(demo.get("/kunden?sort=last_name:asc"))
    assert header_link(doc, "NAME")["sort"] == ["last_name:desc"]
    assert shown_rows(doc) == core_rows(gateway, CUSTOMER_LIST, order=[("last_name", "asc")])[:10]
    names = [row[2] for row in shown_rows(doc)]
    assert names == sorted(names, key=str.lower) or names == sorted(names)

    doc = parse(demo.get("/kunden?sort=last_name:desc"))
    assert doc.xpath('//th[@aria-sort]')[0].get("aria-sort") == "descending"
    assert header_link(doc, "NAME")["sort"] == ["last_name:asc"]


def test_two_sort_keys_in_the_url(gateway, demo):
    order = [("last_name", "asc"), ("birth_date", "desc")]
    doc = parse(demo.get("/kunden?sort=last_name:asc,birth_date:desc&size=100"))
    rows = shown_rows(doc)
    assert rows == core_rows(gateway, CUSTOMER_LIST, order=order)[:100]
    sorted_th = doc.xpath('//table[@id="liste"]//th[@aria-sort]')
    assert [t.get("aria-sort") for t in sorted_th] == ["ascending", "descending"]
    assert [clean(t.xpath('.//span[@class="sort-rank"]')[0].text_content()) for t in sorted_th] == ["1", "2"]
    assert doc.get_element_by_id("liste").get("data-sort") == "last_name:asc,birth_date:desc"
    # Within one name, the younger customer (later birth date) comes first.
    for before, after in zip(rows, rows[1:]):
        if before[2] == after[2]:
            assert before[6][6:] + before[6][3:5] + before[6][:2] >= after[6][6:] + after[6][3:5] + after[6][:2]
    # A plain click on a header sorts by that column alone, from the first page.
    args = header_link(doc, "GEBURTSDATUM")
    assert args["sort"] == ["birth_date:asc"] and "page" not in args and args["size"] == ["100"]


# --- paging and page size ----------------------------------------------------------------

def test_paging_links_keep_the_state(gateway, demo):
    doc = parse(demo.get("/kunden?q=e&sort=town:asc&page=2"))
    expected = core_rows(gateway, CUSTOMER_LIST, search="e", order=[("town", "asc")])
    assert shown_rows(doc) == expected[10:20]
    assert info(doc) == f"11 bis 20 von {len(expected)} Einträgen (gefiltert von 140 Einträgen)"
    prev = doc.xpath('//nav[@class="pager"]//a[@rel="prev"]')[0].get("href")
    nxt = doc.xpath('//nav[@class="pager"]//a[@rel="next"]')[0].get("href")
    assert link_args(prev) == {"q": ["e"], "sort": ["town:asc"]}
    assert link_args(nxt) == {"q": ["e"], "sort": ["town:asc"], "page": ["3"]}
    current = doc.xpath('//nav[@class="pager"]//a[@aria-current="page"]')[0]
    assert current.text == "2"


def test_pager_in_the_middle_and_at_the_end(demo):
    assert pager(parse(demo.get("/kunden?page=7"))) == \
        ["Zurück", "1", "…", "6", "7", "8", "…", "14", "Nächste"]
    doc = parse(demo.get("/kunden?page=14"))
    assert pager(doc) == ["Zurück", "1", "…", "10", "11", "12", "13", "14", "Nächste"]
    assert info(doc) == "131 bis 140 von 140 Einträgen"
    assert not doc.xpath('//nav[@class="pager"]//a[@rel="next"]')


def test_page_size_select(gateway, demo):
    doc = parse(demo.get("/kunden?size=25&q=a"))
    select = doc.get_element_by_id("seitengroesse")
    assert [o.get("value") for o in select.xpath("option")] == ["10", "25", "50", "100"]
    assert select.xpath("option[@selected]")[0].get("value") == "25"
    assert doc.xpath('//label[@for="seitengroesse"]')[0].text == "Einträge anzeigen"
    hidden = {i.get("name"): i.get("value") for i in select.getparent().xpath('.//input[@type="hidden"]')}
    assert hidden == {"q": "a"}
    expected = core_rows(gateway, CUSTOMER_LIST, search="a")
    assert shown_rows(doc) == expected[:25]
    assert info(doc).startswith(f"1 bis 25 von {len(expected)} Einträgen")


def test_counts_use_german_thousands(demo, app):
    from portal.list_state import ListState, make_pager

    pager_ = make_pager(ListState(page=25_000, size=10), 10, 250_000, 250_000, False)
    with app.test_request_context():
        from flask import render_template_string
        text_ = render_template_string(
            '{% from "lists/parts.html" import info %}{{ info(p) }}', p=pager_)
    assert clean(text_) == "249.991 bis 250.000 von 250.000 Einträgen"


# --- the contract filter -----------------------------------------------------------------

@pytest.mark.parametrize("status, sparte", [("lebend", "130"), ("storniert", ""), ("alle", "040")])
def test_contract_filter(gateway, demo, status, sparte):
    args = {"status": status, "sparte": sparte, "size": 100}
    doc = parse(demo.get("/vertraege", query_string=args))
    filters = {"status": status, "sparte": sparte}
    expected = core_rows(gateway, CONTRACT_LIST, filters=filters)
    assert shown_rows(doc)[:100] == expected[:100]
    total = sql(gateway, "SELECT count(*) FROM contracts WHERE broker_id = 1")[0][0]
    shown = sql(gateway, "SELECT count(*) FROM contracts WHERE broker_id = 1"
                + ("" if status == "alle" else f" AND status = {1 if status == 'lebend' else 4}")
                + (f" AND sparte = '{sparte}'" if sparte else ""))[0][0]
    assert len(expected) == shown
    if status != "alle":
        assert {row[5] for row in expected} == {status}
    if sparte:
        assert {row[4] for row in expected} == {"Hausrat" if sparte == "130" else "Haftpflicht"}
    filtered = status != "alle" or sparte
    suffix = f" (gefiltert von {total} Einträgen)" if filtered else ""
    assert info(doc) == f"1 bis {min(shown, 100)} von {shown} Einträgen{suffix}"
    assert doc.get_element_by_id("filter-status").xpath("option[@selected]")[0].get("value") == status
    # Sort links and pages keep the filter.
    link = header_link(doc, "NETTO")
    assert link.get("status", ["alle"]) == [status] and link.get("sparte", [""]) == [sparte or ""]


def test_contract_filter_with_search_and_sort(gateway, demo):
    doc = parse(demo.get("/vertraege?status=lebend&q=Bochum&sort=gross_premium:desc,customer:asc"))
    expected = core_rows(gateway, CONTRACT_LIST, search="Bochum", filters={"status": "lebend"},
                         order=[("gross_premium", "desc"), ("customer", "asc")])
    assert shown_rows(doc) == expected[:10]
    assert all(row[2] == "Bochum" or "bochum" in " ".join(row).lower() for row in expected)


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
