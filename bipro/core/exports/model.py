"""What every export format gets: the columns, the rows and a few facts about the search."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Sequence

from bipro.core.errors import CoreError

KINDS = ("text", "date", "money", "integer")


@dataclass(frozen=True)
class ExportColumn:
    """One column: the German header as shown, the kind of value, a width in characters."""

    header: str
    kind: str  # "text" | "date" | "money" | "integer"
    width: int = 15

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")
        if self.width < 1:
            raise ValueError("column width must be positive")


@dataclass(frozen=True)
class ExportMeta:
    """Facts shown around the table: list title, search term, filters, creation time."""

    title: str
    search: str
    created: dt.datetime
    filters: str = ""


Row = Sequence[object]
Rows = Iterable[Row]


class ExportTooLarge(CoreError):
    """The export would exceed what the format can produce sensibly; ``message`` is German."""

    def __init__(self, message: str, limit: int) -> None:
        super().__init__(message)
        self.limit = limit
