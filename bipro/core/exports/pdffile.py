"""A PDF of the list (fpdf2, built-in Helvetica): title, search, filters, date,
the table with its header on every page, and "Seite x von N" in the footer.

fpdf2 keeps the whole document in memory until it is written, so memory
grows with the number of pages (not with the rows: each row is drawn and
dropped). Exports are therefore capped at ``PDF_MAX_ROWS``; see
``PdfLimit`` and bench/exports.py for the figures behind the cap.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO, Sequence

from fpdf import FPDF

from bipro.core.exports.display import display_text, is_right_aligned
from bipro.core.exports.model import ExportColumn, ExportMeta, ExportTooLarge, Rows
from bipro.core.exports.pdftext import ENCODING, pdf_safe_text
from bipro.core.formatting import format_datetime

PDF_MAX_ROWS = 20_000
FONT = "Helvetica"
TABLE_FONT_PT = 8
MM_PER_WIDTH_UNIT = 1.7  # one "character" of ExportColumn.width at 8 pt, with air
MARGIN = 10.0
TABLE_TOP = 31.0
HEADER_ROW_H = 6.0
ROW_H = 5.0
FOOTER_GAP = 14.0  # from the bottom edge to the last row
CELL_PAD = 1.2
ELLIPSIS = "…"
# fpdf2 reserves one digit per alias character: long enough for any page count.
PAGE_COUNT_ALIAS = "{seitenanzahl}"


def pdf_limit_message(limit: int = PDF_MAX_ROWS) -> str:
    """What a person reads when a list is too long for the PDF export."""
    shown = f"{limit:,}".replace(",", ".")
    return f"PDF-Export ist auf {shown} Zeilen begrenzt; bitte Excel oder CSV verwenden."


@dataclass(frozen=True)
class PdfLayout:
    """Page orientation and column positions for a set of columns."""

    orientation: str  # "P" or "L"
    page_w: float
    page_h: float
    col_widths: tuple[float, ...]

    @property
    def rows_per_page(self) -> int:
        usable = self.page_h - FOOTER_GAP - TABLE_TOP - HEADER_ROW_H
        return int(usable // ROW_H)

    def pages_for(self, row_count: int) -> int:
        """Pages a list of ``row_count`` rows takes (an empty list still has one)."""
        return max(1, -(-row_count // self.rows_per_page))


def pdf_layout(columns: Sequence[ExportColumn]) -> PdfLayout:
    """Portrait A4 when the columns fit, else landscape.

    A column wants its ``width`` in characters, but at least room for its
    bold header; the wanted widths are then stretched or shrunk in proportion
    to fill the page (text that is still too long is cut with an ellipsis).
    """
    probe = FPDF(unit="mm")
    probe.set_font(FONT, "B", TABLE_FONT_PT)
    wanted = [max(c.width * MM_PER_WIDTH_UNIT,
                  probe.get_string_width(pdf_safe_text(c.header)) + 2 * CELL_PAD + 0.5)
              for c in columns]
    total = sum(wanted)
    if total <= 210.0 - 2 * MARGIN:
        orientation, page_w, page_h = "P", 210.0, 297.0
    else:
        orientation, page_w, page_h = "L", 297.0, 210.0
    usable = page_w - 2 * MARGIN
    widths = tuple(usable * w / (total or 1) for w in wanted)
    return PdfLayout(orientation, page_w, page_h, widths)


def write_pdf(target: str | BinaryIO, columns: Sequence[ExportColumn], rows: Rows,
              meta: ExportMeta, max_rows: int = PDF_MAX_ROWS) -> int:
    """Write the PDF to a path or binary file; return the number of rows.

    Raises ``ExportTooLarge`` (nothing written) when there are more than
    ``max_rows`` rows.
    """
    layout = pdf_layout(columns)
    pdf = _ListPdf(layout, columns, meta)
    count = 0
    for row in rows:
        if count == max_rows:
            raise ExportTooLarge(pdf_limit_message(max_rows), max_rows)
        pdf.draw_row(row)
        count += 1
    if count == 0:
        pdf.draw_empty_note()
    pdf.output(target)
    return count


class _ListPdf(FPDF):
    """One list, drawn row by row; ``header``/``footer`` run on every page."""

    def __init__(self, layout: PdfLayout, columns: Sequence[ExportColumn],
                 meta: ExportMeta) -> None:
        super().__init__(orientation=layout.orientation, unit="mm", format="A4")
        self.core_fonts_encoding = ENCODING
        self.set_auto_page_break(False)
        self.alias_nb_pages(PAGE_COUNT_ALIAS)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_title(pdf_safe_text(meta.title))
        self.set_creation_date(meta.created)
        self._layout = layout
        self._columns = list(columns)
        self._meta = meta
        self._lefts = _lefts(layout.col_widths)
        self._right_aligned = [is_right_aligned(c) for c in columns]
        self._headers = [pdf_safe_text(c.header) for c in columns]
        self._on_page = 0
        self._capacity = layout.rows_per_page
        self.add_page()

    # fpdf2 calls these on every add_page / at page end.
    def header(self) -> None:
        meta, right = self._meta, self._layout.page_w - MARGIN
        self.set_text_color(0)
        self.set_font(FONT, "B", 13)
        self.text(MARGIN, 16, _fit_width(self, pdf_safe_text(meta.title), right - MARGIN - 60))
        self.set_font(FONT, "", 8.5)
        created = f"Erstellt am {format_datetime(meta.created)}"
        self.text(right - self.text_width(created), 16, created)
        search = f"Suche: {meta.search}" if meta.search else "Suche: (keine)"
        self.text(MARGIN, 22, _fit_width(self, pdf_safe_text(search), right - MARGIN))
        if meta.filters:
            filters = pdf_safe_text(f"Filter: {meta.filters}")
            self.text(MARGIN, 26.5, _fit_width(self, filters, right - MARGIN))
        self._draw_table_header()

    def footer(self) -> None:
        self.set_font(FONT, "", 8)
        self.set_text_color(0)
        # Only cell() resolves the page-count alias (text() would print it as
        # is). Left-aligned, so the room fpdf2 reserves for it doesn't show.
        self.set_xy(MARGIN, self._layout.page_h - 10)
        self.cell(self._layout.page_w - 2 * MARGIN, 5,
                  f"Seite {self.page_no()} von {PAGE_COUNT_ALIAS}", align="L")

    def draw_row(self, row: Sequence[object]) -> None:
        if self._on_page == self._capacity:
            self.add_page()
        y_top = TABLE_TOP + HEADER_ROW_H + self._on_page * ROW_H
        baseline = y_top + ROW_H - 1.5
        for index, column in enumerate(self._columns):
            value = row[index] if index < len(row) else None
            if value is None:
                continue
            text = pdf_safe_text(display_text(column, value))
            if text:
                self._cell_text(index, text, baseline)
        self.line(MARGIN, y_top + ROW_H, self._layout.page_w - MARGIN, y_top + ROW_H)
        self._on_page += 1

    def draw_empty_note(self) -> None:
        self.set_font(FONT, "I", TABLE_FONT_PT)
        self.text(MARGIN + CELL_PAD, TABLE_TOP + HEADER_ROW_H + ROW_H - 1.5,
                  "Keine Einträge.")

    def text_width(self, text: str) -> float:
        """Width in mm of pdf-safe ``text`` in the current built-in font.

        Same sum as ``get_string_width``, without its per-call text shaping
        set-up, which otherwise costs more than drawing the table.
        """
        widths = self.current_font.cw
        encoded = text.encode(ENCODING).decode("latin-1")
        return sum(widths[c] for c in encoded) * self.font_size / 1000

    def _draw_table_header(self) -> None:
        self.set_fill_color(225)
        self.rect(MARGIN, TABLE_TOP, self._layout.page_w - 2 * MARGIN, HEADER_ROW_H, "F")
        self.set_font(FONT, "B", TABLE_FONT_PT)
        for index, header in enumerate(self._headers):
            self._cell_text(index, header, TABLE_TOP + HEADER_ROW_H - 1.8)
        self.set_font(FONT, "", TABLE_FONT_PT)
        self.set_draw_color(200)
        self.set_line_width(0.1)
        self._on_page = 0

    def _cell_text(self, index: int, text: str, baseline: float) -> None:
        room = self._layout.col_widths[index] - 2 * CELL_PAD
        width = self.text_width(text)
        if width > room:
            text = _fit_width(self, text, room)
            width = self.text_width(text)
        left = self._lefts[index] + CELL_PAD
        x = left + room - width if self._right_aligned[index] else left
        self.text(x, baseline, text)


def _fit_width(pdf: "_ListPdf", text: str, room: float) -> str:
    """``text`` cut with an ellipsis so it fits ``room`` mm in the current font."""
    if pdf.text_width(text) <= room:
        return text
    low, high = 0, len(text)  # longest prefix that fits together with the ellipsis
    while low < high:
        middle = (low + high + 1) // 2
        if pdf.text_width(text[:middle].rstrip() + ELLIPSIS) <= room:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS if low else ""


def _lefts(widths: Sequence[float]) -> list[float]:
    lefts, x = [], MARGIN
    for width in widths:
        lefts.append(x)
        x += width
    return lefts
