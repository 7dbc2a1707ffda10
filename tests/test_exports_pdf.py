"""PDF list export read back with pypdf: text, page count, header on every page, the row cap."""
from __future__ import annotations

import datetime as dt
import io
import re
import tracemalloc
from decimal import Decimal

import pypdf
import pytest
from fpdf import FPDF

from bipro.core.exports import (
    PDF_MAX_ROWS,
    ExportColumn,
    ExportMeta,
    ExportTooLarge,
    pdf_layout,
    pdf_limit_message,
    pdf_safe_text,
    write_pdf,
)
from bipro.core.exports.pdffile import _ListPdf
from tests.support.exportrows import COLUMNS, META, row, rows

ROWS_PER_PAGE = pdf_layout(COLUMNS).rows_per_page


def pdf_pages(columns, data, meta=META) -> list[str]:
    out = io.BytesIO()
    write_pdf(out, columns, data, meta)
    assert out.getvalue().startswith(b"%PDF-")
    return [page.extract_text() for page in pypdf.PdfReader(out).pages]


def test_first_page_has_title_search_filters_date_and_rows():
    page = pdf_pages(COLUMNS, rows(5))[0]
    for expected in ("Kundenübersicht", "Suche: Müller", "Filter: Status: lebend, Sparte: Hausrat",
                     "Erstellt am 02.05.2024 14:30", "ID KUNDE ORT GEBURTSDATUM NETTO",
                     "Seite 1 von 1"):
        assert expected in page
    # Row 1 as shown on screen; "ı" is not in the built-in fonts and becomes "i".
    assert "1 Yilmaz, Kunde 1 Köln 07.02.1940 -420,81 €" in page
    assert "2 Schäfer, Kunde 2 Gießen" in page


def test_page_count_follows_rows_and_header_repeats_on_every_page():
    count = 2 * ROWS_PER_PAGE + 1
    pages = pdf_pages(COLUMNS, rows(count))
    assert len(pages) == 3 == pdf_layout(COLUMNS).pages_for(count)
    for number, text in enumerate(pages, 1):
        assert "ID KUNDE ORT GEBURTSDATUM NETTO" in text
        assert f"Seite {number} von 3" in text
        assert "Kundenübersicht" in text
    # Every row appears once, in order, split across the pages.
    ids = [int(m) for text in pages for m in re.findall(r"^(\d+) \S", text, re.M)]
    assert ids == list(range(1, count + 1))


def test_exactly_one_page_of_rows_needs_one_page():
    assert len(pdf_pages(COLUMNS, rows(ROWS_PER_PAGE))) == 1
    assert len(pdf_pages(COLUMNS, rows(ROWS_PER_PAGE + 1))) == 2


def test_an_empty_search_says_so():
    meta = ExportMeta("Bestandsverträge", "", dt.datetime(2024, 1, 9, 8, 5))
    [page] = pdf_pages(COLUMNS, iter(()), meta)
    assert "Suche: (keine)" in page and "Keine Einträge." in page
    assert "Filter:" not in page and "Erstellt am 09.01.2024 08:05" in page


def test_narrow_tables_are_portrait_wide_ones_landscape():
    narrow, wide = COLUMNS, COLUMNS + [ExportColumn("BEMERKUNG", "text", 60)]
    assert pdf_layout(narrow).orientation == "P"
    assert pdf_layout(wide).orientation == "L"
    box = pypdf.PdfReader(_written(wide, [row(1) + ["x"]])).pages[0].mediabox
    assert box.width > box.height
    layout = pdf_layout(wide)
    assert sum(layout.col_widths) == pytest.approx(layout.page_w - 20)


def test_long_text_is_cut_with_an_ellipsis_and_money_is_complete():
    columns = [ExportColumn("NAME", "text", 10), ExportColumn("NETTO", "money", 12),
               ExportColumn("BEMERKUNG", "text", 80)]
    name = "Maximiliane Müller-Lüdenscheidt-Oberhausen"
    [page] = pdf_pages(columns, [[name, Decimal("-1234567.8"), None]])
    line = next(text for text in page.splitlines() if "€" in text)
    shown = line.split(" -1.234.567,80 €")[0]
    assert shown.endswith("…") and name.startswith(shown[:-1]) and len(shown) < len(name)


def test_characters_outside_the_builtin_fonts_do_not_crash():
    columns = [ExportColumn("NAME", "text", 40)]
    names = [["Yılmaz Şükrü"], ["Łódź „Zitat“ – 5 €"], ["日本 😀"], ["Zeile\nUmbruch\tTab"]]
    page = pdf_pages(columns, names)[0]
    for expected in ("Yilmaz Sükrü", "Lódz „Zitat“ – 5 €", "?? ?", "Zeile Umbruch Tab"):
        assert expected in page


@pytest.mark.parametrize("text, safe", [
    ("Yılmaz", "Yilmaz"), ("İstanbul", "Istanbul"), ("Łukasz Wałęsa", "Lukasz Walesa"),
    ("Nguyễn", "Nguyen"), ("ﬁne", "fine"), ("„Anführung“ ‘x’ … –", "„Anführung“ ‘x’ … –"),
    ("Trenn\u00adstrich", "Trennstrich"), ("a\u00a0b", "a b"), ("日本😀", "???"),
    # A decomposed umlaut (u + combining diaeresis, as pasted from a Mac) is one "ü".
    ("Mu\u0308hlenweg 3", "Mühlenweg 3"), ("Stra\u00dfe 1", "Straße 1"),
    # Compatibility characters become their whole compatible form.
    ("O\ufb00enbach", "Offenbach"), ("Ludwig \u2167", "Ludwig VIII"), ("½⅓", "½1/3"),
])
def test_pdf_safe_text_maps_to_close_characters(text, safe):
    assert pdf_safe_text(text) == safe


def test_a_decomposed_umlaut_is_drawn_as_one_letter():
    [page] = pdf_pages([ExportColumn("STRASSE", "text", 40)], [["Mu\u0308hlenweg 3"]])
    assert "Mühlenweg 3" in page and "Mu?hlenweg" not in page


def test_own_width_sum_agrees_with_fpdf():
    pdf = _ListPdf(pdf_layout(COLUMNS), COLUMNS, META)
    for style in ("", "B"):
        pdf.set_font("Helvetica", style, 8)
        for text in ("Müller, Kunde 1", "-1.234,56 €", "„Zitat“ …", "WWW iii"):
            assert pdf.text_width(text) == pytest.approx(FPDF.get_string_width(pdf, text))


def test_more_rows_than_the_cap_are_refused_in_german_and_nothing_is_written():
    out = io.BytesIO()
    with pytest.raises(ExportTooLarge) as refused:
        write_pdf(out, COLUMNS, rows(6), META, max_rows=5)
    assert refused.value.message == pdf_limit_message(5) == (
        "PDF-Export ist auf 5 Zeilen begrenzt; bitte Excel oder CSV verwenden.")
    assert out.getvalue() == b""
    assert pdf_limit_message() == (
        f"PDF-Export ist auf {PDF_MAX_ROWS:,} Zeilen begrenzt; bitte Excel oder CSV verwenden."
        .replace(",", "."))
    assert write_pdf(io.BytesIO(), COLUMNS, rows(5), META, max_rows=5) == 5


@pytest.mark.heavy  # 20,000 rows traced: a large export, like the large imports
def test_pdf_at_the_cap_stays_within_bounded_memory():
    """fpdf2 holds every page until output; at the cap that must stay small."""
    tracemalloc.start()
    try:
        out = io.BytesIO()
        assert write_pdf(out, COLUMNS, rows(PDF_MAX_ROWS), META) == PDF_MAX_ROWS
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20
    assert len(pypdf.PdfReader(out).pages) == pdf_layout(COLUMNS).pages_for(PDF_MAX_ROWS)


def _written(columns, data) -> io.BytesIO:
    out = io.BytesIO()
    write_pdf(out, columns, data, META)
    return out


def test_pdf_can_be_written_to_a_path(tmp_path):
    path = tmp_path / "kunden.pdf"
    assert write_pdf(str(path), COLUMNS, rows(3), META) == 3
    assert "3 Öztürk, Kunde 3" in pypdf.PdfReader(path).pages[0].extract_text()
