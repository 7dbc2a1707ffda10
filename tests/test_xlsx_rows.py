"""XLSX rows written in one piece say exactly what XlsxWriter's own cell-by-cell writing says.

The reference is a workbook written through XlsxWriter's public API, value by
value, with the same conversions (money rounded half up, dates and times in
their formats). Both sheets are read back cell by cell: reference, type,
number format, font, value and text, whitespace attribute included. So a
change inside XlsxWriter that the whole-row writer does not follow fails here.
"""
from __future__ import annotations

import datetime as dt
import io
import math
import random
import zipfile
from decimal import Decimal

import pytest
import xlsxwriter
from lxml import etree

from bipro.core.exports import ExportColumn, ExportMeta, write_xlsx
from bipro.core.exports.xlsxfile import DATE_FORMAT, DATETIME_FORMAT, MONEY_FORMAT
from bipro.core.exports.xlsxrows import ExportSheet
from bipro.core.formatting import round_cents

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
SPACE = "{http://www.w3.org/XML/1998/namespace}space"
META = ExportMeta("Bestandsverträge", "", dt.datetime(2024, 5, 2, 14, 30))
COLUMNS = [ExportColumn("ID", "integer"), ExportColumn("KUNDE", "text"), ExportColumn("NETTO", "money"),
           ExportColumn("STAND", "date"), ExportColumn("BEMERKUNG", "text")]

PLAIN = ["Müller, Anna", "Yılmaz 😀", "Weiß & Söhne <GmbH>", 'Er sagte "ja"', "", "a" * 16_000,
         7, -3, 2**40, 0.1, 1e300, -0.0, Decimal("1234.50"), Decimal("-0.004"), Decimal("2.125"),
         Decimal("1234567.895"), Decimal("1e30"), dt.date(2024, 2, 29), dt.date(1900, 3, 1),
         dt.date(9999, 12, 31), None]
CAREFUL = [" führendes Leerzeichen", "hinten offen ", "Zeile\numbrochen", "Tab\tgetrennt", "Wagen\rrücklauf",
           "_x0041_ bleibt Text", "unter_strich", "\u00a0geschützt", "a" * 40_000, "b\x07c",
           dt.date(1900, 2, 28), dt.date(1899, 12, 31), dt.datetime(2024, 1, 2, 3, 4, 5),
           dt.datetime(2024, 1, 2, 3, 4, tzinfo=dt.timezone.utc), True, float("nan"), float("inf"),
           Decimal("NaN"), 3.14159]


def written(columns, data) -> bytes:
    out = io.BytesIO()
    write_xlsx(out, columns, data, META)
    return out.getvalue()


def reference(columns, data) -> bytes:
    """The same rows written value by value through XlsxWriter's public API."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False,
                                         "strings_to_numbers": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet()
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": MONEY_FORMAT})
    date = workbook.add_format({"num_format": DATE_FORMAT})
    stamp = workbook.add_format({"num_format": DATETIME_FORMAT})
    for index, column in enumerate(columns):
        sheet.write_string(0, index, column.header, bold)
    for row, values in enumerate(data, 1):
        for col, value in enumerate(values):
            is_money = col < len(columns) and columns[col].kind == "money"
            if value is None or (isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
                                 and not math.isfinite(value)):
                continue
            if isinstance(value, bool):
                sheet.write_string(row, col, str(value))
            elif isinstance(value, str):
                sheet.write_string(row, col, value.replace("\x07", "")[:32767])
            elif isinstance(value, dt.datetime):
                sheet.write_datetime(row, col, value.replace(tzinfo=None), stamp)
            elif isinstance(value, dt.date):
                sheet.write_datetime(row, col, value, date)
            elif is_money:
                sheet.write_number(row, col, float(round_cents(value)), money)
            else:
                sheet.write_number(row, col, value)
    workbook.close()
    return out.getvalue()


def cells(xlsx: bytes) -> tuple[str, list[tuple]]:
    """The sheet's dimension and every cell as (reference, type, number format, bold, value, text, space)."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        sheet = etree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
        styles = etree.fromstring(archive.read("xl/styles.xml"))
    codes = {f.get("numFmtId"): f.get("formatCode") for f in styles.iter(f"{MAIN}numFmt")}
    fonts = [font.find(f"{MAIN}b") is not None for font in styles.find(f"{MAIN}fonts")]
    xfs = [(codes.get(xf.get("numFmtId"), xf.get("numFmtId")), fonts[int(xf.get("fontId"))])
           for xf in styles.find(f"{MAIN}cellXfs")]
    found = []
    for cell in sheet.iter(f"{MAIN}c"):
        text = cell.find(f"{MAIN}is/{MAIN}t")
        found.append((cell.get("r"), cell.get("t"), *xfs[int(cell.get("s", 0))], cell.findtext(f"{MAIN}v"),
                      None if text is None else text.text, None if text is None else text.get(SPACE)))
    return sheet.find(f"{MAIN}dimension").get("ref"), found


def rows_of(pool: list, count: int, width: int, seed: int) -> list[list]:
    draw = random.Random(seed)
    return [[draw.choice(pool) for _ in range(width)] for _ in range(count)]


@pytest.mark.parametrize("pool", [PLAIN, PLAIN + CAREFUL], ids=["plain", "mixed"])
@pytest.mark.parametrize("seed", range(3))
def test_rows_read_back_as_xlsxwriter_writes_them(pool, seed):
    data = rows_of(pool, 120, len(COLUMNS), seed)
    data += [[1, "mehr Werte als Spalten", Decimal("1.5"), None, None, "x", 2.5, dt.date(2020, 1, 1)],
             [None, None, None], [], [None, "", None, None, None, None]]
    assert cells(written(COLUMNS, data)) == cells(reference(COLUMNS, data))


def test_plain_rows_go_in_one_piece_and_careful_ones_cell_by_cell(monkeypatch):
    """The whole-row path really carries the plain rows, and only those."""
    whole_rows = []
    original = ExportSheet.write_row_xml
    monkeypatch.setattr(ExportSheet, "write_row_xml",
                        lambda sheet, row, piece: (whole_rows.append(row), original(sheet, row, piece)))
    data = [[1, "Müller", Decimal("9.99"), dt.date(2024, 1, 1), "Weiß & Co"],
            [2, " Müller", Decimal("9.99"), dt.date(2024, 1, 1), None],
            [3, "Schulz", Decimal("9.99"), dt.datetime(2024, 1, 1, 8, 0), None],
            [4, "Bauer", None, None, None]]
    assert cells(written(COLUMNS, data)) == cells(reference(COLUMNS, data))
    assert whole_rows == [1, 4]


def test_rows_beyond_excels_last_row_are_left_out_as_xlsxwriter_does():
    """Excel's sheet ends at row 1,048,576; XlsxWriter drops what lies beyond, and so do whole rows."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = workbook.add_worksheet(worksheet_class=ExportSheet)
    sheet.write_string(0, 0, "ID")
    sheet.write_row_xml(1, ('<row r="2"><c r="A2"><v>1</v></c></row>', 0, 0))
    sheet.write_row_xml(1_048_576, ('<row r="1048577"><c r="A1048577"><v>2</v></c></row>', 0, 0))
    workbook.close()
    dimension, found = cells(out.getvalue())
    assert dimension == "A1:A2" and [cell[0] for cell in found] == ["A1", "A2"]
