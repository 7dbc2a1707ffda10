"""Row ids that come from outside (a URL, a form): out of the database's range means "not found".

The id columns are INTEGER: 32 bits on PostgreSQL, 64 on SQLite. A larger
number would make the driver fail (SQLite: OverflowError, PostgreSQL: out of
range) instead of finding nothing, so the use case asks here first.
"""

from __future__ import annotations

MAX_ROW_ID = 2**31 - 1  # PostgreSQL's integer, the narrower of the two


def is_possible_row_id(value: object) -> bool:
    """True for an int that some row could have as its id."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ROW_ID
