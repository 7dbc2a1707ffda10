"""The one formula guard for every text export (CSV, clipboard text, copy page).

A spreadsheet evaluates a cell that starts with ``=``, ``+``, ``-`` or ``@``
(and some strip a leading tab or carriage return first), so a customer's name
``=HYPERLINK(...)`` or ``+cmd|...`` would run when the export is opened or the
copied text is pasted. Such text gets a leading apostrophe, which Excel and
LibreOffice read as "this is text". A value that is only a number or a phone
number (``-12,50``, ``1.234,56 €``, ``+49 231 1234567``) stays as it is: it
cannot call anything, and a broker wants it unchanged.
"""
from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# A signed number in German or plain notation, optionally with a unit.
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*(?: ?(?:€|%))?")
# An international phone number: +, country code, groups of digits.
_PHONE = re.compile(r"\+\d{1,4}(?: ?\(0\))?(?:[ /-]?\d+)+")


def guard_formula(text: str) -> str:
    """*text* neutralised with a leading ``'`` when a spreadsheet would evaluate it."""
    if not text.startswith(FORMULA_STARTS):
        return text
    if _NUMBER.fullmatch(text) or _PHONE.fullmatch(text):
        return text
    return "'" + text
