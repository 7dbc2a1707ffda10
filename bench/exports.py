"""Time and peak memory of 100,000-row list exports (CSV, XLSX, PDF, clipboard text).

Run from the repository root: ``python -m bench.exports [rows]``. Rows are
generated on the fly, so the figures show what the writers themselves hold.
Peak memory is traced Python allocation (tracemalloc), which is what grows
with the rows; the process RSS is printed alongside.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from typing import Callable, Iterator

from bipro.core.exports import (ExportColumn, ExportMeta, PDF_MAX_ROWS, iter_csv,
                                iter_tsv, write_pdf, write_xlsx)

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


def measure(name: str, rows: int,
            run: Callable[[int], int]) -> tuple[str, int, float, float, float, int]:
    """Two runs: one timed, one traced (tracing slows Python down several times).

    CPU seconds are printed next to wall-clock seconds: on a busy machine
    they are the steadier figure.
    """
    began, began_cpu = time.perf_counter(), time.process_time()
    size = run(rows)
    seconds, cpu = time.perf_counter() - began, time.process_time() - began_cpu
    tracemalloc.start()
    run(rows)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return name, rows, seconds, cpu, peak / 2**20, size


def _csv(rows: int) -> int:
    return sum(len(chunk) for chunk in iter_csv(COLUMNS, generated_rows(rows)))


def _tsv(rows: int) -> int:
    return sum(len(chunk.encode()) for chunk in iter_tsv(COLUMNS, generated_rows(rows)))


def _xlsx(rows: int) -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "export.xlsx")
        write_xlsx(path, COLUMNS, generated_rows(rows), META)
        return os.path.getsize(path)


def _pdf(rows: int) -> int:
    out = io.BytesIO()
    write_pdf(out, COLUMNS, generated_rows(rows), META, max_rows=rows)
    return len(out.getvalue())


def main(argv: list[str]) -> None:
    rows = int(argv[0]) if argv else 100_000
    results = [measure("CSV", rows, _csv), measure("Kopieren (TSV)", rows, _tsv),
               measure("XLSX", rows, _xlsx)]
    for pdf_rows in sorted({min(PDF_MAX_ROWS, rows), rows}):
        results.append(measure("PDF", pdf_rows, _pdf))
    print("| Export | Rows | Seconds | CPU seconds | Peak traced MB | File MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, count, seconds, cpu, peak_mb, size in results:
        print(f"| {name} | {count:,} | {seconds:.1f} | {cpu:.1f} | {peak_mb:.1f} "
              f"| {size / 2**20:.1f} |")
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nProcess max RSS: {max_rss:.0f} MB (Python {sys.version.split()[0]}, "
          f"PDF_MAX_ROWS = {PDF_MAX_ROWS:,})")


if __name__ == "__main__":
    main(sys.argv[1:])
