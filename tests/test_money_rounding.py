"""Money is rounded commercially (half up, to the cent) wherever it is written.

Before there was one rule, the tariff wrote 2.125 as ``2,12 €`` (Python's
half-to-even) while the screens wrote ``2,13 €``; the SOAP answer did the same.
"""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pypdf
import pytest
from lxml import etree

from bipro.core.exports import ExportColumn, ExportMeta
from bipro.core.exports.csvfile import iter_csv
from bipro.core.exports.display import display_text
from bipro.core.exports.pdffile import write_pdf
from bipro.core.exports.xlsxfile import write_xlsx
from bipro.core.formatting import format_money, round_cents
from bipro.core.search.contracts import COLUMNS as CONTRACT_COLUMNS
from bipro.core.tariff import PaymentFrequency, PremiumLine, Quote
from bipro.soap import shapes, taa
from bipro.soap.namespaces import TAA, q

CASES = [
    # amount, screen text, CSV text, cents
    (Decimal("2.125"), "2,13 €", "2,13", Decimal("2.13")),
    (Decimal("0.005"), "0,01 €", "0,01", Decimal("0.01")),
    (Decimal("1234567.895"), "1.234.567,90 €", "1234567,90", Decimal("1234567.90")),
]
MONEY = ExportColumn("BETRAG", "money")


@pytest.mark.parametrize("amount, cents", [(Decimal("1e30"), Decimal("1e30")), (1e300, Decimal("1e300")),
                                           (Decimal("-123456789012345678901234567.895"),
                                            Decimal("-123456789012345678901234567.90"))])
def test_amounts_beyond_28_digits_keep_every_digit(amount, cents):
    """The default context carries 28 digits; rounding such an amount to the cent must not fail."""
    assert round_cents(amount) == cents
    assert format_money(amount).endswith(",00 €") or format_money(amount).endswith(",90 €")


@pytest.mark.parametrize("amount, screen, _csv, _cents", CASES)
def test_screen(amount, screen, _csv, _cents):
    assert format_money(amount) == screen
    net = next(c for c in CONTRACT_COLUMNS if c.key == "net_premium")
    assert net.display(amount) == screen  # the contract list's NETTO column


@pytest.mark.parametrize("amount, _screen, csv_text, _cents", CASES)
def test_csv(amount, _screen, csv_text, _cents):
    text = b"".join(iter_csv([MONEY], [[amount]])).decode("utf-8-sig")
    assert text.splitlines() == ["BETRAG", csv_text]


@pytest.mark.parametrize("amount, _screen, _csv, cents", CASES)
def test_xlsx(amount, _screen, _csv, cents):
    out = io.BytesIO()
    write_xlsx(out, [MONEY], [[amount]], ExportMeta("Liste", "", dt.datetime(2026, 1, 2, 3, 4)))
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert float(cents) in values


@pytest.mark.parametrize("amount, screen, _csv, _cents", CASES)
def test_pdf(amount, screen, _csv, _cents):
    assert display_text(MONEY, amount) == screen
    out = io.BytesIO()
    write_pdf(out, [MONEY], [[amount]], ExportMeta("Liste", "", dt.datetime(2026, 1, 2, 3, 4)))
    text = pypdf.PdfReader(io.BytesIO(out.getvalue())).pages[0].extract_text()
    assert screen.replace(" €", "") in text


def _quote(amount: Decimal) -> Quote:
    yearly = PaymentFrequency("1", "jährlich", 1, Decimal("0"))
    line = PremiumLine(yearly, net=amount, tax=amount, gross=amount)
    return Quote(product=None, on=dt.date(2026, 1, 1), answers={}, derived={},
                 annual_net=amount, lines=(line,), steps=())


@pytest.mark.parametrize("amount, screen, _csv, _cents", CASES)
def test_tariff_result(amount, screen, _csv, _cents):
    row = _quote(amount).rows(formatted=True)[0]
    assert row["net"] == row["gross"] == row["annual_gross"] == screen


@pytest.mark.parametrize("amount, _screen, _csv, cents", CASES)
def test_soap_amounts(amount, _screen, _csv, cents):
    root = etree.Element("root")
    taa._beitrag(root, _quote(amount).lines[0])
    amounts = root.findall(f".//{q(TAA, 'Bruttobeitrag')}/{q(TAA, 'Betrag')}")
    assert [a.text for a in amounts] == [str(cents)]


@pytest.mark.parametrize("amount, _screen, _csv, cents", CASES)
def test_soap_contract_amounts(amount, _screen, _csv, cents):
    """Partner and Vertrag amounts (xsd:decimal) once rounded half to even."""
    assert shapes.money(amount) == str(cents)
