"""List exports: CSV, clipboard text and XLSX read back; constant memory for 100,000 rows."""
from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import tracemalloc
import zipfile
from decimal import Decimal

import openpyxl
import pytest
import xlsxwriter
from lxml import etree

from bipro.core.exports import ExportColumn, iter_csv, iter_tsv, tsv_text, write_csv, write_xlsx
from tests.support.exportrows import COLUMNS, META, row, rows

# Constant memory: the peak for four times the rows is no higher. Kept rows
# would add about 4.5 MB between the two sizes; measured peaks are under 1 MB.
FEW_ROWS, MANY_ROWS = 5_000, 20_000
MEMORY_LIMIT = 8 * 2**20
GROWTH_LIMIT = 2**20


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline=""), delimiter=";"))


def csv_bytes(columns, data) -> bytes:
    out = io.BytesIO()
    write_csv(out, columns, data)
    return out.getvalue()


# --- CSV --------------------------------------------------------------------------------------

def test_csv_is_what_german_excel_opens():
    data = csv_bytes(COLUMNS, rows(30))
    assert data.count(b"\r\n") == 31 and b"\n" not in data.replace(b"\r\n", b"")
    table = read_csv(data)
    assert table[0] == ["ID", "KUNDE", "ORT", "GEBURTSDATUM", "NETTO"]
    expected = []
    for i in range(1, 31):
        _, name, town, birth, net = row(i)
        expected.append([str(i), name, town,
                         birth.strftime("%d.%m.%Y") if birth else "",
                         f"{net:.2f}".replace(".", ",")])
    assert table[1:] == expected


def test_csv_money_has_a_decimal_comma_and_no_thousands_separator():
    columns = [ExportColumn("NETTO", "money"), ExportColumn("ANZAHL", "integer")]
    table = read_csv(csv_bytes(columns, [[Decimal("1234567.891"), 1234567],
                                         [Decimal("-1234.5"), -3], [Decimal("0"), 0],
                                         [7, None]]))
    assert table[1:] == [["1234567,89", "1234567"], ["-1234,50", "-3"], ["0,00", "0"],
                         ["7,00", ""]]


ODD_VALUES = ["Müller", "=1+1", "-12,50", "", None, 0, 7, -3, True, Decimal("1.005"), Decimal("-0.001"),
              Decimal("-1234.5"), Decimal("NaN"), Decimal("Infinity"), 2.675, -0.0, dt.date(2024, 7, 4),
              dt.datetime(2024, 7, 4, 9, 5), "a;b", Decimal("1e30"), [1, 2]]


@pytest.mark.parametrize("kind", ["text", "money", "date", "integer"])
def test_csv_cells_follow_the_general_rules_for_every_type(kind):
    """A column's quick path for its usual type gives what ``csv_cell`` gives, for any value."""
    from bipro.core.exports.csvfile import csv_cell
    columns = [ExportColumn("A", kind), ExportColumn("B", "text")]
    # Each value in the column, then once more beyond the last column (taken as text).
    data = [[value, "x"] for value in ODD_VALUES] + [["x", "y", value] for value in ODD_VALUES]
    table = read_csv(csv_bytes(columns, data))[1:]
    expected = [[csv_cell(kind, value), "x"] for value in ODD_VALUES]
    expected += [["x", "y", csv_cell("text", value)] for value in ODD_VALUES]
    assert table == expected
    assert csv_cell("money", Decimal("-0.001")) == "0,00" and csv_cell("date", dt.date(2024, 7, 4)) == "04.07.2024"


def test_csv_dates_read_right_beyond_the_dates_it_remembers():
    """The date column remembers the texts of the first dates only; every later one is still right."""
    from bipro.core.exports.csvfile import _DateTexts
    days = [dt.date(1900, 3, 1) + dt.timedelta(days=n) for n in range(_DateTexts.LIMIT + 500)]
    data = [[day] for day in days + days[::-1]]
    table = read_csv(csv_bytes([ExportColumn("STAND", "date")], data))[1:]
    assert table == [[f"{day.day:02d}.{day.month:02d}.{day.year}"] for day in days + days[::-1]]


def test_xlsx_writes_every_type_and_values_beyond_the_columns():
    columns = [ExportColumn("NETTO", "money"), ExportColumn("NAME", "text")]
    out = io.BytesIO()
    write_xlsx(out, columns, [[Decimal("-0.001"), "a\x01b", 3, Decimal("2.125")],
                              [Decimal("1.005"), "x" * 40_000], [2.675, None, "c"]],
               META.__class__("Liste", "", META.created))
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert values[0] == [0, "ab", 3, 2.125]  # beyond the columns: as given, not rounded
    assert values[1][:2] == [1.01, "x" * 32767] and values[2][:3] == [2.68, None, "c"]
    assert str(values[0][0]) == "0" and sheet["A2"].number_format == '#,##0.00 "€"'


def test_csv_quotes_separators_quotes_and_line_breaks():
    columns = [ExportColumn("NAME", "text"), ExportColumn("BEMERKUNG", "text")]
    values = [["Müller; Söhne", 'Sie sagte "Hallo"'], ["Zeile 1\r\nZeile 2", "a\nb"]]
    data = csv_bytes(columns, values)
    assert b'"M\xc3\xbcller; S\xc3\xb6hne"' in data
    assert b'"Sie sagte ""Hallo"""' in data
    assert read_csv(data)[1:] == values


@pytest.mark.parametrize("dangerous", ["=HYPERLINK(\"http://x\")", "+49 89 1234 A1", "-2+3",
                                       "@SUM(A1)", "\tTab", "\rCR"])
def test_csv_text_that_excel_would_run_gets_an_apostrophe(dangerous):
    columns = [ExportColumn("TEXT", "text"), ExportColumn("NETTO", "money")]
    table = read_csv(csv_bytes(columns, [[dangerous, Decimal("-12.5")]]))
    assert table[1] == ["'" + dangerous, "-12,50"]


@pytest.mark.parametrize("number", ["+49 89 1234", "-12,50", "+5"])
def test_csv_text_that_is_only_a_number_or_phone_number_stays(number):
    columns = [ExportColumn("TEXT", "text")]
    assert read_csv(csv_bytes(columns, [[number]]))[1] == [number]


def test_csv_shows_date_and_time_for_timestamps():
    columns = [ExportColumn("STAND", "date")]
    table = read_csv(csv_bytes(columns, [[dt.datetime(2024, 5, 2, 9, 7)], [dt.date(2024, 5, 2)]]))
    assert table[1:] == [["02.05.2024 09:07"], ["02.05.2024"]]


def test_csv_keeps_umlauts_and_characters_outside_latin1():
    columns = [ExportColumn("NAME", "text")]
    names = [["Yılmaz"], ["Łódź „Straße“"], ["Nguyễn 日本 😀"]]
    assert read_csv(csv_bytes(columns, names))[1:] == names


def test_csv_streams_without_reading_all_rows():
    endless = (row(i) for i in itertools.count(1))
    chunks = iter_csv(COLUMNS, endless)
    first, second = next(chunks), next(chunks)
    assert first.startswith(b"\xef\xbb\xbfID;KUNDE")
    assert 60_000 < len(second) < 70_000  # chunks of about 64 KB, not the whole file


# --- clipboard text ----------------------------------------------------------------------------

def test_tsv_shows_values_as_on_screen():
    text = tsv_text(COLUMNS, [row(1), row(13)])
    lines = text.split("\n")
    assert lines[0] == "ID\tKUNDE\tORT\tGEBURTSDATUM\tNETTO"
    assert lines[1] == "1\tYılmaz, Kunde 1\tKöln\t07.02.1940\t-420,81 €"
    assert lines[2] == "13\tNguyễn, Kunde 13\tKöln\t\t529,47 €"
    assert lines[3:] == [""]


def test_tsv_flattens_tabs_and_line_breaks_inside_values():
    columns = [ExportColumn("NAME", "text"), ExportColumn("NETTO", "money")]
    text = tsv_text(columns, [["a\tb\r\nc", Decimal("1234.5")]])
    assert text == "NAME\tNETTO\na b c\t1.234,50 €\n"


# --- XLSX --------------------------------------------------------------------------------------

def test_xlsx_has_header_values_types_widths_and_filter(tmp_path):
    path = tmp_path / "kunden.xlsx"
    assert write_xlsx(str(path), COLUMNS, rows(40), META) == 40
    sheet = openpyxl.load_workbook(path).active
    assert sheet.title == "Kundenübersicht"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E41"
    assert [c.value for c in sheet[1]] == ["ID", "KUNDE", "ORT", "GEBURTSDATUM", "NETTO"]
    assert all(c.font.b for c in sheet[1])
    # Widths in characters as Excel shows them (the file adds the cell padding);
    # neighbours of the same width share one <col> entry.
    widths = {index: int(dim.width) for dim in sheet.column_dimensions.values()
              for index in range(dim.min, dim.max + 1)}
    assert widths == {1: 9, 2: 30, 3: 18, 4: 14, 5: 14}
    for i, cells in enumerate(sheet.iter_rows(min_row=2), 1):
        ident, name, town, birth, net = (c.value for c in cells)
        expected = row(i)
        assert ident == i and isinstance(ident, int)
        assert (name, town) == (expected[1], expected[2])
        if expected[3] is None:
            assert birth is None
        else:
            assert isinstance(birth, dt.datetime) and birth.date() == expected[3]
            assert cells[3].number_format == "DD.MM.YYYY"
        assert isinstance(net, (int, float)) and Decimal(str(net)) == expected[4]
        assert cells[4].number_format == '#,##0.00 "€"'
    assert i == 40


def test_xlsx_dates_carry_the_serials_excel_itself_gives_them(tmp_path):
    """Our own date serials agree with XlsxWriter's date conversion, also around Excel's false 29.02.1900."""
    dates = [dt.date(1900, 1, 1), dt.date(1900, 2, 28), dt.date(1900, 3, 1), dt.date(1970, 1, 1),
             dt.date(2024, 2, 29), dt.date(9999, 12, 31)]
    ours = tmp_path / "ours.xlsx"
    write_xlsx(ours, [ExportColumn("STAND", "date")], [[day] for day in dates], META)
    reference = tmp_path / "reference.xlsx"
    with xlsxwriter.Workbook(reference) as workbook:
        sheet = workbook.add_worksheet()
        for row, day in enumerate(dates, 1):
            sheet.write_datetime(row, 0, day)
    assert sheet_values(ours) == sheet_values(reference) and len(sheet_values(ours)) == len(dates)
    assert [c.value.date() for c in openpyxl.load_workbook(ours).active["A"][3:]] == dates[2:]


def sheet_values(path) -> list[str]:
    """The stored values of the first sheet's cells from row 2 on, as written in its XML."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    return [cell.findtext(f"{main}v") for row in root.iter(f"{main}row") if row.get("r") != "1"
            for cell in row.iter(f"{main}c")]


def test_xlsx_keeps_formula_like_text_as_text_and_survives_odd_characters():
    columns = [ExportColumn("NAME", "text"), ExportColumn("STAND", "date")]
    out = io.BytesIO()
    write_xlsx(out, columns, [["=1+1", dt.datetime(2024, 1, 2, 3, 4)],
                              ["Yılmaz\x07 😀", None]],
               META.__class__("Liste: [neu]/alt*?", "", META.created))
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    assert sheet.title == "Liste   neu  alt"
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == dt.datetime(2024, 1, 2, 3, 4)
    assert sheet["B2"].number_format == "DD.MM.YYYY HH:MM"
    assert sheet["A3"].value == "Yılmaz 😀"


MARKUP_LOOKALIKES = [
    "<r>Müller & Co</r>",
    "<r></r>",
    '<r><t>x</t></r></is></c></row><row r="99"><c r="A99"><v>1</v></c></row><r>',
    "<r>" + "😀" * 20000 + "</r>",  # 40,007 UTF-16 units: over Excel's cell limit
]


@pytest.mark.parametrize("text", MARKUP_LOOKALIKES, ids=["ampersand", "empty", "injection", "overlong"])
def test_xlsx_keeps_text_shaped_like_rich_text_markup_as_its_text(text):
    """XlsxWriter's constant-memory mode would paste ``<r>…</r>`` into the XML unescaped."""
    out = io.BytesIO()
    write_xlsx(out, [ExportColumn("NAME", "text"), ExportColumn("ORT", "text")],
               [[text, "Köln"], ["Weiß", "Bonn"]], META)
    with zipfile.ZipFile(out) as archive:
        etree.fromstring(archive.read("xl/worksheets/sheet1.xml"))  # well-formed
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    values = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    expected = text if len(text.encode("utf-16-le")) <= 2 * 32767 else text[:3 + 32764 // 2]
    assert values == [[expected, "Köln"], ["Weiß", "Bonn"]]


def test_xlsx_of_no_rows_is_just_the_header(tmp_path):
    path = tmp_path / "leer.xlsx"
    assert write_xlsx(path, COLUMNS, iter(()), META) == 0
    sheet = openpyxl.load_workbook(path).active
    assert [[c.value for c in r] for r in sheet.iter_rows()] == [
        ["ID", "KUNDE", "ORT", "GEBURTSDATUM", "NETTO"]]


# --- constant memory ---------------------------------------------------------------------------

def traced_peak(run) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def assert_constant_memory(export) -> None:
    """``export(count)`` peaks below the limit, and no higher for four times the rows.

    Few rows go first, so a cache filled on the first run counts against them.
    """
    few, many = traced_peak(lambda: export(FEW_ROWS)), traced_peak(lambda: export(MANY_ROWS))
    assert many < MEMORY_LIMIT and many - few < GROWTH_LIMIT, (few, many)


def test_csv_and_tsv_stay_in_constant_memory():
    def csv_export(count):
        assert sum(chunk.count(b"\r\n") for chunk in iter_csv(COLUMNS, rows(count))) == count + 1

    def tsv_export(count):
        assert sum(chunk.count("\n") for chunk in iter_tsv(COLUMNS, rows(count))) == count + 1

    assert_constant_memory(csv_export)
    assert_constant_memory(tsv_export)


def test_xlsx_stays_in_constant_memory(tmp_path):
    """Unique text per row (a shared-string table would grow) and styled money cells.

    Two columns only: tracing makes the per-cell work several times slower;
    bench/exports.py measures the full contract list at 100,000 rows.
    """
    columns = [ExportColumn("KUNDE", "text", 28), ExportColumn("NETTO", "money", 12)]
    path = tmp_path / "gross.xlsx"

    def export(count):
        data = ((f"Müller, Kunde {i}", Decimal(i).scaleb(-2)) for i in range(1, count + 1))
        write_xlsx(path, columns, data, META)

    assert_constant_memory(export)
    with zipfile.ZipFile(path) as archive:  # the larger file, written last
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    last = MANY_ROWS + 1
    assert f'<autoFilter ref="A1:B{last}"' in sheet
    assert f'<row r="{last}"' in sheet and f"Kunde {MANY_ROWS}<" in sheet
    assert sheet.count("<row ") == last
