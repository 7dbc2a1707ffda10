"""A real ``.xlsx`` written row by row (XlsxWriter's constant-memory mode).

Each row goes to a temporary file as soon as the next one starts, and strings
are written inline, so no shared-string table grows with the rows. Rows of
plain values are written as whole rows (``xlsxrows``); the rest cell by cell
through XlsxWriter. ``python -m bench exports`` measures this against
openpyxl's write-only mode with lxml, side by side.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import types
from decimal import Decimal
from typing import BinaryIO, Sequence

from xlsxwriter import Workbook

from bipro.core.exports.model import ExportColumn, ExportMeta, Rows
from bipro.core.exports.xlsxrows import EXCEL_DAY_ZERO, EXCEL_SERIALS_REGULAR_FROM, ExportSheet, RowXml
from bipro.core.formatting import round_cents

MONEY_FORMAT = '#,##0.00 "€"'  # shown as 1.234,56 € by a German Excel
DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
_MAX_CELL_CHARS = 32767  # Excel's limit for one cell
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Characters XML 1.0 cannot carry (the same set openpyxl refuses).
_ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def write_xlsx(target: str | BinaryIO, columns: Sequence[ExportColumn], rows: Rows,
               meta: ExportMeta) -> int:
    """Write the workbook to a path or binary file; return the number of data rows."""
    workbook = Workbook(target, {"constant_memory": True, "strings_to_formulas": False,
                                 "strings_to_numbers": False, "strings_to_urls": False})
    try:
        workbook.set_properties({"title": meta.title, "subject": describe(meta),
                                 "created": meta.created.replace(tzinfo=None)})
        sheet = workbook.add_worksheet(sheet_title(meta.title), worksheet_class=ExportSheet)
        for index, column in enumerate(columns):
            sheet.set_column(index, index, column.width + 2)
        sheet.freeze_panes(1, 0)
        bold = workbook.add_format({"bold": True})
        for index, column in enumerate(columns):
            sheet.write_string(0, index, clean_text(column.header), bold)
        count = _write_rows(workbook, sheet, columns, rows)
        sheet.autofilter(0, 0, count, max(len(columns), 1) - 1)
    finally:
        workbook.close()
    return count


def _write_rows(workbook, sheet: ExportSheet, columns: Sequence[ExportColumn], rows: Rows) -> int:
    """Every row after the header: in one piece where its values are plain, else cell by cell."""
    money = workbook.add_format({"num_format": MONEY_FORMAT})
    date = workbook.add_format({"num_format": DATE_FORMAT})
    stamp = workbook.add_format({"num_format": DATETIME_FORMAT})
    is_money = [c.kind == "money" for c in columns]
    whole_row = RowXml(money, date, is_money)
    cell_by_cell = _cell_writer(sheet, money, date, stamp, is_money)
    write_row_xml = sheet.write_row_xml
    count = 0
    for count, row in enumerate(rows, 1):
        cells = whole_row(count, row)
        if cells is None:
            cell_by_cell(count, row)
        else:
            write_row_xml(count, cells)
    return count


def _cell_writer(sheet, money, date, stamp, is_money: list[bool]):
    """Writes one row through XlsxWriter, each value by its type, money and dates formatted per column."""
    is_money = is_money + [False] * 64  # rows may carry more values than there are columns
    write_string, write_number, write_datetime = (_by_row_and_column(sheet, name) for name in
                                                  ("write_string", "write_number", "write_datetime"))
    write_rich = _by_row_and_column(sheet, "write_rich_string")

    def write(row_number: int, row) -> None:
        if len(row) > len(is_money):
            is_money.extend([False] * len(row))
        for index, value in enumerate(row):
            if value is None:
                continue
            kind = value.__class__
            if kind is str:
                if _ILLEGAL_CHARACTERS.search(value) or len(value) > _MAX_CELL_CHARS:
                    value = clean_text(value)
                if value.startswith("<r>") and value.endswith("</r>"):
                    _write_markup_lookalike(write_rich, row_number, index, value)
                else:
                    write_string(row_number, index, value)
            elif kind is Decimal or kind is float or kind is int:
                if not math.isfinite(value):
                    continue
                if not is_money[index]:
                    write_number(row_number, index, value)
                else:
                    write_number(row_number, index, float(round_cents(value)), money)
            elif kind is dt.date:
                if value >= EXCEL_SERIALS_REGULAR_FROM:  # the serial directly, as Excel counts it
                    write_number(row_number, index, value.toordinal() - EXCEL_DAY_ZERO, date)
                else:
                    write_datetime(row_number, index, value, date)
            elif kind is dt.datetime:
                write_datetime(row_number, index, value.replace(tzinfo=None), stamp)
            else:  # bool, subclasses and anything else: as its text
                write_string(row_number, index, clean_text(str(value)))

    return write


def _write_markup_lookalike(write_rich, row: int, col: int, text: str) -> None:
    """Text shaped like a rich-text run (``<r>…</r>``), written so it stays text.

    In constant-memory mode XlsxWriter copies such a string into the sheet's
    XML unescaped, taking it for its own rich-string markup: a name like
    ``<r>x</r></c>…`` would corrupt the file or add cells. Written as a rich
    string of plain runs, it is escaped and reads back as the same text.
    """
    # A rich string over Excel's limit (in UTF-16 units) would be dropped, not cut.
    units = text.encode("utf-16-le")[:2 * _MAX_CELL_CHARS].decode("utf-16-le", "ignore")
    write_rich(row, col, units[:1], units[1:2], units[2:])  # XlsxWriter wants three or more


def _by_row_and_column(sheet, name: str):
    """``sheet.<name>`` without XlsxWriter's wrapper that also accepts "A1" cell names.

    The wrapper tries ``int()`` on every call's first argument (a tenth of
    XlsxWriter's time per cell); our rows and columns are numbers already.
    The method it wraps is kept in ``__wrapped__`` by ``functools.wraps``.
    """
    method = getattr(type(sheet), name)
    return types.MethodType(getattr(method, "__wrapped__", method), sheet)


def clean_text(text: str) -> str:
    """Drop control characters XML can't carry; cut to Excel's cell limit."""
    return _ILLEGAL_CHARACTERS.sub("", text)[:_MAX_CELL_CHARS]


def sheet_title(title: str) -> str:
    """Excel sheet names: at most 31 characters, none of ``[]:*?/\\``, not empty."""
    cleaned = _SHEET_TITLE_FORBIDDEN.sub(" ", clean_text(title)).strip().strip("'")[:31]
    return cleaned or "Export"


def describe(meta: ExportMeta) -> str:
    """The workbook's subject: the search and the filters of the export."""
    parts = []
    if meta.search:
        parts.append(f"Suche: {meta.search}")
    if meta.filters:
        parts.append(meta.filters)
    return "; ".join(parts)
