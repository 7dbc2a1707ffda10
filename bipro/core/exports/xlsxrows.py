"""Whole data rows of an XLSX export written as SpreadsheetML in one piece.

XlsxWriter spends about nine tenths of an export's time on its per-cell path:
a dimension check, a cell tuple, a table entry and four method calls for every
cell. A list row is made of a few plain kinds of value (text, whole and
decimal numbers, money, dates), so for those the row's XML is put together
here, in exactly the form XlsxWriter gives the same cells, and handed to the
worksheet's row file at once. Anything out of the ordinary (text that needs
escaping beyond ``& < >``, timestamps, dates before March 1900, other types)
returns ``None`` and goes XlsxWriter's own way, cell by cell.

The header, styles, panes, filter, properties and the package stay
XlsxWriter's. ``tests/test_xlsx_rows.py`` checks that both ways give the same
sheet, so a change inside XlsxWriter shows up there.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from typing import Sequence

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from bipro.core.formatting import round_cents

# Excel counts days from 1899-12-30 for every date from 1900-03-01 on; before
# that its serials are off by one (it takes 1900 for a leap year).
EXCEL_DAY_ZERO = dt.date(1899, 12, 30).toordinal()
EXCEL_SERIALS_REGULAR_FROM = dt.date(1900, 3, 1)
# Text XlsxWriter rewrites before it writes it: control characters and its own
# ``_xHHHH_`` escapes (both only reach here as "_" or below 0x20), the two
# non-characters, and leading or trailing space (kept with xml:space).
_TEXT_NEEDING_CARE = re.compile(r"[_\x00-\x1f\ufffe\uffff]|^\s|\s$")
_XML_SPECIAL = re.compile(r"[&<>]")
_SHORT_ENOUGH = 32767 // 2  # Excel's cell limit in UTF-16 units, whatever the characters

RowCells = tuple[str, int, int]  # the row's XML, its first and its last column with a value


class ExportSheet(Worksheet):
    """XlsxWriter's worksheet that also takes a whole row as ready XML (constant-memory mode only)."""

    def write_row_xml(self, row: int, cells: RowCells) -> None:
        """Append one ``<row>`` element; as XlsxWriter does, nothing beyond Excel's last row."""
        xml, first_col, last_col = cells
        if not xml:
            return
        if self._check_dimensions(row, first_col) or self._check_dimensions(row, last_col):
            return
        self._write_single_row(row)  # first the row XlsxWriter may still hold, such as the header
        self.fh.write(xml)


class RowXml:
    """Turns a row of plain values into the ``<row>`` XlsxWriter would write for it."""

    def __init__(self, money: Format, date: Format, is_money: Sequence[bool]) -> None:
        self._money_style = f' s="{money._get_xf_index()}"'
        self._date_style = f' s="{date._get_xf_index()}"'
        self._is_money = list(is_money)
        self._letters: list[str] = []

    def __call__(self, row: int, values: Sequence[object]) -> RowCells | None:
        """The cells of *values* on the 0-based *row*, or None when a value needs XlsxWriter's care.

        A row without a value gives empty XML, as XlsxWriter writes no ``<row>`` for it.
        """
        number = str(row + 1)
        letters = self._letters
        if len(values) > len(letters):
            letters.extend(xl_col_to_name(i) for i in range(len(letters), len(values)))
        is_money = self._is_money
        if len(values) > len(is_money):
            is_money.extend([False] * (len(values) - len(is_money)))
        needs_care, special = _TEXT_NEEDING_CARE.search, _XML_SPECIAL.search
        money_style, date_style = self._money_style, self._date_style
        cells = [f'<row r="{number}">']
        add = cells.append
        first = last = -1
        for index, value in enumerate(values):
            if value is None:
                continue
            kind = value.__class__
            if kind is str:
                if needs_care(value) or len(value) > _SHORT_ENOUGH:
                    return None
                if special(value):
                    if value.startswith("<r>") and value.endswith("</r>"):
                        return None
                    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                add(f'<c r="{letters[index]}{number}" t="inlineStr"><is><t>{value}</t></is></c>')
            elif kind is int or kind is Decimal or kind is float:
                if not math.isfinite(value):
                    continue
                if not is_money[index]:
                    add(f'<c r="{letters[index]}{number}"><v>{value:.16G}</v></c>')
                else:
                    add(f'<c r="{letters[index]}{number}"{money_style}><v>{float(round_cents(value)):.16G}</v></c>')
            elif kind is dt.date and value >= EXCEL_SERIALS_REGULAR_FROM:
                serial = value.toordinal() - EXCEL_DAY_ZERO
                add(f'<c r="{letters[index]}{number}"{date_style}><v>{serial}</v></c>')
            else:
                return None
            if first < 0:
                first = index
            last = index
        if first < 0:
            return "", first, last
        add("</row>")
        return "".join(cells), first, last
