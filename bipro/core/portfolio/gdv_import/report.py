"""What one GDV file did, or would have done: counts and the first problems."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bipro.core.gdv.reader import GdvReader, GdvReadError

MAX_REPORTED_ERRORS = 100


@dataclass
class ImportReport:
    """What one file did (or, with errors or a dry run, would have done)."""

    file: str
    contracts_read: int = 0
    errors: list[GdvReadError] = field(default_factory=list)
    error_count: int = 0
    skipped: Counter = field(default_factory=Counter)
    brokers_created: int = 0
    customers_created: int = 0
    customers_changed: int = 0
    contracts_created: int = 0
    contracts_changed: int = 0
    contracts_unchanged: int = 0
    contracts_cancelled: int = 0
    contracts_moved: int = 0
    contracts_resumed: int = 0   # committed by an earlier run of the same file (in batches)
    batches_committed: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def summary(self) -> str:
        resumed = (f" (fortgesetzt: die ersten {self.contracts_resumed} waren schon übernommen)"
                   if self.contracts_resumed else "")
        return (f"{self.contracts_read} Verträge gelesen{resumed}: {self.contracts_created} neu, "
                f"{self.contracts_changed} geändert ({self.contracts_cancelled} storniert, "
                f"{self.contracts_moved} zu anderem Vermittler), {self.contracts_unchanged} unverändert; "
                f"Kunden {self.customers_created} neu, {self.customers_changed} geändert; "
                f"Vermittler {self.brokers_created} neu")



def close_report(report: ImportReport, reader: GdvReader) -> bool:
    """The reader's problems and skipped records into *report*; whether the file had no problem."""
    report.error_count = len(reader.errors)
    report.errors = reader.errors[:MAX_REPORTED_ERRORS]
    report.skipped = reader.skipped
    return report.ok

