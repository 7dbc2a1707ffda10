"""Time and peak memory of 100,000-row list exports (CSV, XLSX, PDF, clipboard text), rows from memory.

``python -m bench exports`` (100,000 rows; ``--quick``: 10,000). Rows are
generated on the fly, so the figures show what the writers themselves hold.
Peak memory is traced Python allocation (tracemalloc), which is what grows
with the rows. The PDF is capped at ``PDF_MAX_ROWS``. The same exports fed
from the list query of a large database are in ``bench/lists.py``.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import sys
import tempfile
import time
from decimal import Decimal
from typing import Callable, Iterator

from bench import Options, Result, time_result
from bench._memory import MIB, traced_peak
from bench._xlsx_openpyxl import write_xlsx as openpyxl_xlsx
from bipro.core.exports import PDF_MAX_ROWS, ExportColumn, ExportMeta, iter_csv, iter_tsv, write_pdf, write_xlsx

COLUMNS = [
    ExportColumn("ID", "integer", 7),
    ExportColumn("KUNDE", "text", 28),
    ExportColumn("ORT", "text", 18),
    ExportColumn("VERTRAG", "text", 14),
    ExportColumn("SPARTE", "text", 14),
    ExportColumn("STATUS", "text", 10),
    ExportColumn("NETTO", "money", 12),
    ExportColumn("BRUTTO", "money", 12),
    ExportColumn("STAND", "date", 11),
]
META = ExportMeta("Bestandsverträge", "Müller", dt.datetime(2024, 5, 2, 14, 30),
                  "Status: lebend, Sparte: Hausrat")
_NAMES = ["Müller", "Yılmaz", "Schäfer", "Öztürk", "Weiß", "Nguyễn", "Bauer", "Łukasz"]
_TOWNS = ["München", "Köln", "Düsseldorf", "Gießen", "Lübeck", "Fürth"]


def generated_rows(count: int) -> Iterator[list[object]]:
    """Contract-list rows, each built when asked for and then forgotten."""
    start = dt.date(2000, 1, 1)
    for i in range(count):
        net = Decimal(1000 + (i * 7919) % 250_000).scaleb(-2)
        yield [i + 1, f"{_NAMES[i % 8]}, Kunde {i}", _TOWNS[i % 6], f"V-{i:09d}",
               "Hausrat" if i % 3 else "Wohngebäude", "lebend" if i % 11 else "storniert",
               net, (net * Decimal("1.19")).quantize(Decimal("0.01")),
               start + dt.timedelta(days=i % 9000)]


def measure(name: str, rows: int, write: Callable[[int], int]) -> Result:
    """Two runs: one timed, one traced (tracing slows Python down several times).

    The baseline is generating the same rows without writing them, so the
    ratio is what the writer adds.
    """
    began = time.perf_counter()
    size = write(rows)
    seconds = time.perf_counter() - began
    began = time.perf_counter()
    for _ in generated_rows(rows):
        pass
    rows_only = time.perf_counter() - began
    _, peak = traced_peak(lambda: write(rows))
    result = time_result(f"{name}, {rows:,} rows", [seconds], unit="s",
                         baseline="generating the rows alone", baseline_seconds=[rows_only])
    result.note = (f"{rows / seconds:,.0f} rows/s, {size / MIB:.1f} MiB file, "
                   f"peak traced memory {peak / MIB:.1f} MiB (constant-memory writers)")
    return result


def _csv(rows: int) -> int:
    return sum(len(chunk) for chunk in iter_csv(COLUMNS, generated_rows(rows)))


def _tsv(rows: int) -> int:
    return sum(len(chunk.encode()) for chunk in iter_tsv(COLUMNS, generated_rows(rows)))


def _xlsx(rows: int) -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "export.xlsx")
        write_xlsx(path, COLUMNS, generated_rows(rows), META)
        return os.path.getsize(path)


def _xlsx_openpyxl(rows: int) -> int:
    """The same workbook from openpyxl's write-only mode, for comparison."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "export.xlsx")
        openpyxl_xlsx(path, COLUMNS, generated_rows(rows), META)
        return os.path.getsize(path)


def _pdf(rows: int) -> int:
    out = io.BytesIO()
    write_pdf(out, COLUMNS, generated_rows(rows), META, max_rows=rows)
    return len(out.getvalue())


def run(options: Options) -> list[Result]:
    rows = options.scale(100_000, 10_000)
    results = [measure("CSV", rows, _csv), measure("Kopieren (TSV)", rows, _tsv),
               measure("XLSX (XlsxWriter, constant_memory)", rows, _xlsx),
               measure("XLSX (openpyxl write-only, lxml; comparison)", rows, _xlsx_openpyxl)]
    results.append(measure("PDF", min(PDF_MAX_ROWS, rows), _pdf))
    return results


if __name__ == "__main__":
    from bench.__main__ import main

    sys.exit(main(["exports", *sys.argv[1:]]))
