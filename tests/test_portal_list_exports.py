"""Drucken, Kopieren, Excel, CSV and PDF of the lists: every row of the current search.

Each export is opened the way a broker's program would (csv module, openpyxl,
pypdf, the print page's HTML) and its rows compared, in order, with what the
core's ``iter_rows`` returns for the same search, filters and order.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import lxml.html
import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import text

from bipro.core.exports import pdf_layout, tsv_text
from bipro.core.search import ListQuery, iter_rows
from portal import create_app
from portal.list_screens import CONTRACTS, CUSTOMERS
from tests.support.callers import of_broker
from tests.support.pages import clean, parse, table_rows
from tests.support.portal import log_in

CUSTOMER_STATE = {"q": "e", "sort": "last_name:desc,first_name:asc"}
CONTRACT_STATE = {"q": "Bochum", "status": "lebend", "sort": "gross_premium:desc"}
TODAY = re.compile(r'attachment; filename="(Kundenuebersicht|Bestandsvertraege)_(\d{4}-\d{2}-\d{2})\.(\w+)"')


@pytest.fixture(scope="module")
def clients(app):
    logged_in = {}
    for login in ("demo", "demo2"):
        client = app.test_client()
        assert log_in(client, login).status_code == 302
        logged_in[login] = client
    return logged_in


@pytest.fixture(scope="module")
def demo(clients):
    return clients["demo"]


def expected(gateway, screen, state, broker_id=1, shown=False):
    """The core's rows for a URL state: export values, or the texts as shown."""
    order = [tuple(part.split(":")) for part in state.get("sort", "").split(",") if part]
    filters = {c.name: state[c.name] for c in screen.choices if c.name in state}
    query = ListQuery(search=state.get("q", ""), order=order, limit=None, filters=filters)
    with gateway.db.session() as session:
        rows = iter_rows(session, of_broker(broker_id), screen.spec, query)
        if shown:
            return [list(screen.spec.display(row)) for row in rows]
        return [screen.export_values(row.values) for row in rows]


def check_download(response, stem: str, extension: str):
    assert response.status_code == 200
    match = TODAY.fullmatch(response.headers["Content-Disposition"])
    assert match and match.group(1) == stem and match.group(3) == extension
    dt.date.fromisoformat(match.group(2))


def csv_money(value: Decimal | None) -> str:
    return "" if value is None else format(value.quantize(Decimal("0.01")), "f").replace(".", ",")


def test_csv_of_customers_has_every_row_in_order(gateway, demo):
    response = demo.get("/kunden/csv", query_string=CUSTOMER_STATE)
    check_download(response, "Kundenuebersicht", "csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == ["ID", "VORNAME", "NAME", "STRASSE", "PLZ", "ORT", "GEBURTSDATUM"]
    wanted = expected(gateway, CUSTOMERS, CUSTOMER_STATE, shown=True)
    assert len(wanted) > 10, "more than one page: the export is not just the page"
    assert rows[1:] == wanted


def test_csv_of_contracts_uses_the_decimal_comma(gateway, demo):
    response = demo.get("/vertraege/csv", query_string=CONTRACT_STATE)
    check_download(response, "Bestandsvertraege", "csv")
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"), newline=""),
                           delimiter=";"))
    wanted = expected(gateway, CONTRACTS, CONTRACT_STATE)
    assert [r[:6] for r in rows[1:]] == [w[:6] for w in wanted]
    assert [r[6:8] for r in rows[1:]] == [[csv_money(w[6]), csv_money(w[7])] for w in wanted]
    assert all("," in r[6] and "." not in r[6] for r in rows[1:] if r[6])
    gross = [Decimal(r[7].replace(",", ".")) for r in rows[1:]]
    assert gross == sorted(gross, reverse=True)
    assert {r[5] for r in rows[1:]} == {"lebend"}


def test_excel_is_a_real_workbook_with_numbers_and_dates(gateway, demo):
    response = demo.get("/vertraege/excel", query_string=CONTRACT_STATE)
    check_download(response, "Bestandsvertraege", "xlsx")
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ["ID", "KUNDE", "ORT", "VERTRAG", "SPARTE", "STATUS", "NETTO",
                             "BRUTTO", "STAND"]
    wanted = expected(gateway, CONTRACTS, CONTRACT_STATE)
    assert len(rows) - 1 == len(wanted)
    for got, want in zip(rows[1:], wanted):
        assert list(got[:6]) == want[:6]
        assert [Decimal(str(v)).quantize(Decimal("0.01")) for v in got[6:8]] == \
            [Decimal(w).quantize(Decimal("0.01")) for w in want[6:8]]
        assert (got[8].date() if got[8] else None) == want[8]


def test_excel_of_customers(gateway, demo):
    response = demo.get("/kunden/excel", query_string=CUSTOMER_STATE)
    check_download(response, "Kundenuebersicht", "xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.get_data())).active
                .iter_rows(values_only=True))
    wanted = expected(gateway, CUSTOMERS, CUSTOMER_STATE)
    assert [list(r[:6]) for r in rows[1:]] == [w[:6] for w in wanted]
    assert [r[6].date() if r[6] else None for r in rows[1:]] == [w[6] for w in wanted]


def test_pdf_has_the_table_search_and_date(gateway, demo):
    response = demo.get("/kunden/pdf", query_string=CUSTOMER_STATE)
    check_download(response, "Kundenuebersicht", "pdf")
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.get_data()))
    wanted = expected(gateway, CUSTOMERS, CUSTOMER_STATE, shown=True)
    assert len(reader.pages) == pdf_layout(CUSTOMERS.export_columns).pages_for(len(wanted))
    first = reader.pages[0].extract_text()
    assert "Kundenübersicht" in first and "Suche: e" in first and "Erstellt am" in first
    for row in wanted[:5]:
        assert row[2] in first and row[3] in first
    everything = " ".join(page.extract_text() for page in reader.pages)
    positions = [everything.index(row[3]) for row in wanted[:20]]  # streets, in order
    assert positions == sorted(positions)


def test_pdf_of_contracts_names_the_filter(demo):
    response = demo.get("/vertraege/pdf", query_string=CONTRACT_STATE)
    first = PdfReader(io.BytesIO(response.get_data())).pages[0].extract_text()
    assert "Filter: Status: lebend" in first and "Suche: Bochum" in first


def test_pdf_over_the_cap_is_refused_with_a_hint_to_excel(gateway):
    app = create_app(gateway, {"TESTING": True, "LIST_PDF_MAX_ROWS": 50,
                               "LIST_SCREEN_MAX_ROWS": 50})
    client = app.test_client()
    log_in(client)
    response = client.get("/vertraege/pdf?sort=stand:asc&q=a")
    assert response.status_code == 302
    assert response.headers["Location"] == "/vertraege?q=a&sort=stand:asc"
    page = parse(client.get(response.headers["Location"]))
    flashes = [clean(p.text_content()) for p in page.xpath('//p[contains(@class, "flash")]')]
    assert flashes == ["PDF-Export ist auf 50 Zeilen begrenzt; bitte Excel oder CSV verwenden."]
    for path in ("/vertraege/drucken", "/vertraege/kopieren"):
        assert client.get(path).status_code == 302
    answer = client.get("/vertraege/kopieren", headers={"Accept": "text/plain"})
    assert answer.status_code == 413 and "bitte Excel oder CSV" in answer.get_data(as_text=True)
    assert client.get("/vertraege/pdf?q=Bochum&status=lebend").status_code == 200  # few rows


def test_print_page_has_every_row_and_opens_the_print_dialog(gateway, demo):
    response = demo.get("/vertraege/drucken", query_string=CONTRACT_STATE)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    doc = parse(response)
    assert table_rows(doc, '//table[@id="druckliste"]') == \
        expected(gateway, CONTRACTS, CONTRACT_STATE, shown=True)
    assert doc.xpath('//script[@src="/static/print.js"]')
    assert not [s for s in doc.xpath("//script") if (s.text or "").strip()], "no inline script"
    assert "Suche: Bochum" in clean(doc.text_content()) and "Filter: Status: lebend" in html
    customers = parse(demo.get("/kunden/drucken?q=Max+1980"))
    assert table_rows(customers, '//table[@id="druckliste"]') == \
        expected(gateway, CUSTOMERS, {"q": "Max 1980"}, shown=True)


def test_copy_text_is_tab_separated_with_a_header(gateway, demo):
    answer = demo.get("/kunden/kopieren", query_string=CUSTOMER_STATE, headers={"Accept": "text/plain"})
    assert answer.status_code == 200 and answer.mimetype == "text/plain"
    body = answer.get_data(as_text=True)
    wanted = expected(gateway, CUSTOMERS, CUSTOMER_STATE)
    assert body == tsv_text(CUSTOMERS.export_columns, wanted)
    lines = body.splitlines()
    assert lines[0].split("\t") == ["ID", "VORNAME", "NAME", "STRASSE", "PLZ", "ORT", "GEBURTSDATUM"]
    assert [line.split("\t") for line in lines[1:]] == \
        expected(gateway, CUSTOMERS, CUSTOMER_STATE, shown=True)
    assert answer.headers["X-Zeilen"] == str(len(wanted))


def test_copy_page_without_javascript_shows_the_text(gateway, demo):
    response = demo.get("/vertraege/kopieren", query_string=CONTRACT_STATE)
    assert response.status_code == 200 and response.mimetype == "text/html"
    doc = parse(response)
    area = doc.get_element_by_id("kopiertext")
    assert doc.xpath('//label[@for="kopiertext"]')
    assert area.text == tsv_text(CONTRACTS.export_columns, expected(gateway, CONTRACTS, CONTRACT_STATE))


def test_export_links_on_the_page_carry_the_state(demo):
    doc = parse(demo.get("/vertraege?q=Bochum&status=lebend&sort=gross_premium:desc&page=2&size=25"))
    links = {a.text: a.get("href") for a in doc.xpath('//div[@class="list-exports"]/a')}
    assert list(links) == ["Drucken", "Kopieren", "Excel", "CSV", "PDF"]
    for name, path in zip(links, ("drucken", "kopieren", "excel", "csv", "pdf")):
        assert links[name] == f"/vertraege/{path}?q=Bochum&sort=gross_premium:desc&status=lebend"


def test_a_refused_search_never_starts_a_download(demo):
    for path in ("/kunden/csv", "/kunden/excel", "/kunden/pdf", "/kunden/drucken", "/kunden/kopieren"):
        response = demo.get(path, query_string={"q": "x" * 600})
        assert response.status_code == 302 and response.headers["Location"] == "/kunden"
    answer = demo.get("/kunden/kopieren", query_string={"q": "x" * 600}, headers={"Accept": "text/plain"})
    assert answer.status_code == 400 and "500 Zeichen" in answer.get_data(as_text=True)


def last_names(path: str, data: bytes) -> list[str]:
    """The NAME column of an export of the customer list."""
    if path == "excel":
        rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    elif path == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    elif path == "kopieren":
        rows = [line.split("\t") for line in data.decode("utf-8").splitlines()]
    else:  # drucken
        doc = lxml.html.fromstring(data.decode("utf-8"))
        rows = [["ID", "VORNAME", "NAME"]] + table_rows(doc, '//table[@id="druckliste"]')
    assert rows[0][2] == "NAME"
    return [row[2] for row in rows[1:]]


@pytest.mark.parametrize("path", ["csv", "excel", "kopieren", "drucken", "pdf"])
def test_demo2_exports_only_its_own_rows(gateway, clients, path):
    with gateway.db.engine.connect() as conn:
        theirs = {r[0] for r in conn.execute(text("SELECT last_name FROM customers WHERE broker_id = 1"))}
        own = [r[0] for r in conn.execute(text(
            "SELECT last_name FROM customers WHERE broker_id = 2 ORDER BY id"))]
    response = clients["demo2"].get(f"/kunden/{path}", headers={"Accept": "text/plain"})
    assert response.status_code == 200
    data = response.get_data()
    if path == "pdf":
        found = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        for name in sorted(theirs - set(own)):
            assert not re.search(rf"\b{re.escape(name)}\b", found)
        assert all(name in found for name in own)
    else:
        assert last_names(path, data) == own  # all 25, in the default order, nobody else
