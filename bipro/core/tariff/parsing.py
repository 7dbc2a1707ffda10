"""Reading raw answers into typed values, one question type at a time.

Answers may come as Python values or as strings from a web form or a SOAP
message. Accepted spellings:

* integer: ``42``, ``"42"``, ``"100.000"`` (dots as thousands separators)
* decimal: ``"72,5"``, ``"72.5"``, ``"1.234,5"``; a lone dot is a decimal
  point, so ``"1.000"`` means one (write ``"1000"`` or ``"1.000,0"``)
* boolean: ``true/false``, ``1/0``, ``ja/nein``, ``yes/no``, ``on/off``
* date: ``YYYY-MM-DD`` and ``dd.mm.yyyy``
* choice: the choice value, as string or number (``150`` or ``"150"``)
* text: any string, checked against the question's pattern

Only the type is checked here; ranges are checked in ``validation.py``.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from store.german import format_date, format_number

from . import errors
from .model import Question, QuestionType

_INTEGER = re.compile(r"[+-]?[0-9]+")
_INTEGER_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(\.[0-9]{3})+")
_DECIMAL_POINT = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?([0-9]+|[0-9]{1,3}(\.[0-9]{3})+)(,[0-9]+)?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_GERMAN_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")

_TRUE = {"true", "1", "ja", "yes", "on"}
_FALSE = {"false", "0", "nein", "no", "off"}


class InvalidAnswer(ValueError):
    """Raised by ``parse`` with a problem code and a German message."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def is_blank(raw: Any) -> bool:
    """An absent answer: None or an empty / whitespace-only string."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


# No question asks for more digits than this; a longer number is refused before
# it is converted (Python refuses int() of more than 4300 digits, and Decimal
# arithmetic of the premium would leave its precision long before that).
MAX_NUMBER_DIGITS = 18


def parse(question: Question, raw: Any) -> Any:
    """Return ``raw`` as a value of the question's type or raise InvalidAnswer."""
    if question.type in (QuestionType.INTEGER, QuestionType.DECIMAL) and _too_many_digits(raw):
        raise InvalidAnswer(errors.RANGE, f"{question.label} hat zu viele Stellen "
                                          f"(höchstens {MAX_NUMBER_DIGITS}).")
    parser = _PARSERS[question.type]
    value = parser(raw)
    if value is None:
        raise InvalidAnswer(errors.TYPE, _type_message(question))
    return value


def _too_many_digits(raw: Any) -> bool:
    if isinstance(raw, bool):
        return False
    if isinstance(raw, int):
        return abs(raw) >= 10 ** MAX_NUMBER_DIGITS
    if isinstance(raw, Decimal):
        return raw.is_finite() and raw != 0 and raw.adjusted() >= MAX_NUMBER_DIGITS
    if isinstance(raw, str):
        return sum(c.isdigit() for c in raw) > MAX_NUMBER_DIGITS
    return False


def _parse_integer(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return None  # True is an int in Python, but not an answer to "how many"
    if isinstance(raw, int):
        return raw
    if isinstance(raw, Decimal):
        return int(raw) if raw.is_finite() and raw == int(raw) else None
    if isinstance(raw, str):
        text = raw.strip()
        if _INTEGER.fullmatch(text):
            return int(text)
        if _INTEGER_GROUPED.fullmatch(text):
            return int(text.replace(".", ""))
    return None


def _parse_decimal(raw: Any) -> Decimal | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, Decimal):
        return raw if raw.is_finite() else None
    if isinstance(raw, float):
        # JSON clients send floats; repr gives the shortest exact spelling.
        return _parse_decimal(repr(raw))
    if isinstance(raw, str):
        text = raw.strip()
        if "," in text:
            if not _DECIMAL_COMMA.fullmatch(text):
                return None
            text = text.replace(".", "").replace(",", ".")
        elif not _DECIMAL_POINT.fullmatch(text):
            return None
        try:
            return Decimal(text)
        except InvalidOperation:  # pragma: no cover - regex guards this
            return None
    return None


def _parse_boolean(raw: Any) -> bool | None:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str):
        text = raw.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return None


def _parse_date(raw: Any) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    try:
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
        match = _GERMAN_DATE.fullmatch(text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
    except ValueError:  # e.g. 31.02.2020
        return None
    return None


def _parse_text(raw: Any) -> str | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (str, int)):
        return str(raw).strip()
    return None


def _parse_choice(raw: Any) -> str | None:
    # Membership in the allowed values is checked in validation.py, so
    # that the message can list the allowed values.
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (str, int, Decimal)):
        return str(raw).strip()
    return None


_PARSERS = {
    QuestionType.INTEGER: _parse_integer,
    QuestionType.DECIMAL: _parse_decimal,
    QuestionType.BOOLEAN: _parse_boolean,
    QuestionType.DATE: _parse_date,
    QuestionType.TEXT: _parse_text,
    QuestionType.CHOICE: _parse_choice,
}

_TYPE_MESSAGES = {
    QuestionType.INTEGER: "{label} muss eine ganze Zahl sein",
    QuestionType.DECIMAL: "{label} muss eine Zahl sein",
    QuestionType.BOOLEAN: "{label} muss ja oder nein sein",
    QuestionType.DATE: "{label} muss ein gültiges Datum sein (TT.MM.JJJJ)",
    QuestionType.TEXT: "{label} muss ein Text sein",
    QuestionType.CHOICE: "{label} hat keinen zulässigen Wert",
}


def _type_message(question: Question) -> str:
    return _TYPE_MESSAGES[question.type].format(label=question.label)


def display_value(question: Question, value: Any) -> str:
    """A parsed value the way a German reader expects to see it."""
    if value is None:
        return ""
    if question.type is QuestionType.BOOLEAN:
        return "ja" if value else "nein"
    if question.type is QuestionType.DATE:
        return format_date(value)
    if question.type is QuestionType.CHOICE:
        return question.choice_label(value)
    if question.type in (QuestionType.INTEGER, QuestionType.DECIMAL):
        return number_text(question, value)
    return str(value)


def number_text(question: Question, value) -> str:
    """A number of *question* with its unit; a number without a unit (a year) is not grouped."""
    if not question.unit:
        return format_number(value, grouped=False)
    return f"{format_number(value)} {question.unit}"
