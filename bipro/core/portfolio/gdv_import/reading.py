"""A GDV file as batches of whole contracts, read ahead by a thread of their own."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

from bipro.core.gdv.reader import GdvReader, ImportedContract
from bipro.core.portfolio.gdv_import.report import ImportReport

BATCH = 1000


def batches(reader: GdvReader, report: ImportReport, shown, skip: int = 0) -> Iterator[list[ImportedContract]]:
    """Whole contracts in batches of ``BATCH``, until the first problem; the rest is read for the report.

    The first *skip* contracts (committed by an earlier run) are read and passed over.
    """
    batch: list[ImportedContract] = []
    shown_bytes = 0
    for contract in reader.contracts():
        report.contracts_read += 1
        if reader.errors:
            batch.clear()  # nothing more is written
            continue
        if report.contracts_read <= skip:
            continue
        batch.append(contract)
        if len(batch) >= BATCH:
            yield batch
            batch = []
            shown.update(reader.bytes_read - shown_bytes)
            shown_bytes = reader.bytes_read
    if batch and not reader.errors:
        yield batch
    shown.update(reader.bytes_read - shown_bytes)


def read_ahead(batches: Iterator[list[ImportedContract]], depth: int = 2) -> Iterator[list[ImportedContract]]:
    """*batches*, read by a thread of their own while the ones before are written.

    The file is parsed while the database (SQLite's library, which lets go
    of Python's lock while it works, or the PostgreSQL server) writes the
    batch before: on two cores a good part of the one hides behind the
    other. At most *depth* batches wait, so memory stays flat. A problem in
    the reading thread is raised here; when writing stops, reading stops.
    """
    waiting: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def hand_over(item) -> bool:
        while not stop.is_set():
            try:
                waiting.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for batch in batches:
                if not hand_over(batch):
                    return
            hand_over(done)
        except BaseException as exc:  # handed to the writing thread, which raises it
            hand_over(exc)

    reader = threading.Thread(target=read, name="gdv-import-reader", daemon=True)
    reader.start()
    try:
        while (item := waiting.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        reader.join()

