"""One formula guard for every text export: CSV, clipboard text, copy page; XLSX cells are typed.

A customer whose name or street a spreadsheet would run (``=HYPERLINK(...)``,
``+cmd|...``) comes out neutralised everywhere; numbers and phone numbers stay.
"""

from __future__ import annotations

import csv
import io

import lxml.html
import openpyxl
import pytest
from sqlalchemy import update

from bipro.core.clock import local_now
from bipro.core.exports import ExportColumn, ExportMeta, iter_csv, tsv_text, write_xlsx
from bipro.core.exports.formula import guard_formula
from store.models.portfolio import Customer
from tests.support.portal import log_in

HOSTILE = ['=HYPERLINK("http://evil.example","Klick")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
           "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]
KEPT = ["+49 231 1234567", "-12,50", "+49 (0)231 123-4567", "-1.234,56 €", "42", "Müller", "Max =1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_a_spreadsheet_would_run_is_neutralised(text):
    assert guard_formula(text) == "'" + text


@pytest.mark.parametrize("text", KEPT)
def test_numbers_phone_numbers_and_plain_text_stay(text):
    assert guard_formula(text) == text


def test_clipboard_text_and_csv_use_the_same_guard():
    columns = [ExportColumn("Name", "text", 20), ExportColumn("Telefon", "text", 20)]
    rows = [[HOSTILE[0], "+49 231 1234567"], [HOSTILE[1], "-12,50"]]
    lines = tsv_text(columns, rows).splitlines()
    assert lines[1:] == [f"'{HOSTILE[0]}\t+49 231 1234567", f"'{HOSTILE[1]}\t-12,50"]
    parsed = list(csv.reader(io.StringIO(b"".join(iter_csv(columns, rows)).decode("utf-8-sig")),
                             delimiter=";"))
    assert parsed[1:] == [[f"'{HOSTILE[0]}", "+49 231 1234567"], [f"'{HOSTILE[1]}", "-12,50"]]


def test_xlsx_writes_every_text_as_a_string_cell(tmp_path):
    columns = [ExportColumn("Name", "text", 20)]
    target = tmp_path / "x.xlsx"
    write_xlsx(str(target), columns, [[text] for text in HOSTILE + KEPT],
               ExportMeta("Kunden", "", local_now(), ""))
    sheet = openpyxl.load_workbook(target).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.data_type for c in cells] == ["s"] * len(HOSTILE + KEPT)
    assert [c.value for c in cells][:2] == HOSTILE[:2]


@pytest.fixture(scope="module")
def demo(app, gateway):
    with gateway.db.session() as session:
        customer_id = session.scalars(Customer.__table__.select().with_only_columns(Customer.id)
                                      .where(Customer.broker_id == 1).order_by(Customer.id)).first()
        session.execute(update(Customer).where(Customer.id == customer_id)
                        .values(last_name=HOSTILE[0], street=HOSTILE[1], town="+49 231 1234567"))
        session.commit()
    client = app.test_client()
    assert log_in(client).status_code == 302
    return client


def test_copy_text_neutralises_formulas(demo):
    answer = demo.get("/kunden/kopieren", headers={"Accept": "text/plain"})
    assert answer.status_code == 200
    body = answer.get_data(as_text=True)
    assert f"\t'{HOSTILE[0]}\t'{HOSTILE[1]}\t" in body
    assert "\t+49 231 1234567\t" in body
    assert f"\t{HOSTILE[0]}" not in body and f"\t{HOSTILE[1]}" not in body


def test_copy_page_neutralises_formulas(demo):
    page = lxml.html.fromstring(demo.get("/kunden/kopieren").get_data(as_text=True))
    text = page.get_element_by_id("kopiertext").text
    assert f"\t'{HOSTILE[0]}\t'{HOSTILE[1]}\t" in text
    assert f"\t{HOSTILE[0]}" not in text


def test_csv_download_neutralises_formulas(demo):
    body = demo.get("/kunden/csv").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    hostile = [row for row in rows if f"'{HOSTILE[0]}" in row]
    assert hostile and f"'{HOSTILE[1]}" in hostile[0] and "+49 231 1234567" in hostile[0]
