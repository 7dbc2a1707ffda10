"""German display formats for the upper layers: the names of ``store.german``.

The rules are defined once in ``store.german`` (the stored search text needs
them and the store imports nothing above it); import them from here or there.
"""

from store.german import format_date, format_datetime, format_money, format_number, person_name, round_cents

# The portal's ``decimal`` filter and older callers know the number rule by this name.
format_decimal = format_number

__all__ = ["format_date", "format_datetime", "format_decimal", "format_money", "format_number",
           "person_name", "round_cents"]
