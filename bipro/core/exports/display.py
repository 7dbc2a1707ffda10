"""One cell as a person reads it (print, clipboard, PDF): German dates and money."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bipro.core.exports.model import ExportColumn
from bipro.core.formatting import format_date, format_datetime, format_money


def display_text(column: ExportColumn, value: object) -> str:
    """The text shown for ``value`` in ``column``; ``None`` is empty."""
    if value is None:
        return ""
    if column.kind == "money" and isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
        return format_money(value)
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value)


def is_right_aligned(column: ExportColumn) -> bool:
    """Numbers line up on the right."""
    return column.kind in ("money", "integer")
