"""Kundenübersicht and Bestandsverträge: the pages show what the core list query returns.

Counts, texts and links as in the manual; search, sort, paging, page size and
the contract filter all live in the URL (odd parameters, login and the other
broker: test_portal_lists_params.py).
"""

from __future__ import annotations

import pytest

from bipro.core.search import CONTRACT_LIST, CUSTOMER_LIST
from store.sort_keys import german_sort_key
from tests.support.lists import core_rows, header_link, info, link_args, pager, shown_rows, sql
from tests.support.pages import clean, parse

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
    assert names == sorted(names, key=german_sort_key)  # "Böhm" before "Brandt"

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
