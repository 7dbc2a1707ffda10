"""The Tarifrechner's form fields, built from a product's risk questions.

Each question becomes one HTML control of the matching kind (number with
min/max/step, select, checkbox, date, text) with its German label, unit,
help text and any problems the engine reported for it.

A decimal question is a text field with a decimal keyboard, not a number
field: Chromium drops a typed decimal comma from a number field ("72,5"
arrives as "725"), while the engine reads "72,5" and "72.5" alike. Its
range is shown as a hint instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bipro.core.tariff import Product, Question, QuestionType
from store.german import format_number

ID_PREFIX = "frage-"
# Characters of the longest option a select may have and still show whole on a 390 px phone.
LONGEST_SELECT_OPTION = 28
POSTCODE_PATTERN = "[0-9]{5}"


@dataclass(frozen=True)
class FormField:
    name: str
    id: str
    label: str
    kind: str            # number | select | radio | checkbox | date | text
    value: str = ""      # what the control shows (text-like kinds)
    checked: bool = False
    options: tuple[tuple[str, str], ...] = ()  # (value, label) for select and radio
    placeholder_option: bool = False  # select: "Bitte wählen" first when there is no default
    attrs: Mapping[str, str] = field(default_factory=dict)
    unit: str | None = None
    help: str | None = None
    range_hint: str | None = None  # e.g. "10 bis 1000 m²"
    required: bool = False
    errors: tuple[str, ...] = ()

    @property
    def described_by(self) -> str:
        ids = [f"{self.id}-hilfe"] if self.help or self.range_hint else []
        if self.errors:
            ids.append(f"{self.id}-fehler")
        return " ".join(ids)


def form_fields(product: Product, submitted: Mapping[str, str] | None,
                errors: Mapping[str, list[str]] | None = None) -> list[FormField]:
    """One field per question: defaults on a fresh form, the submitted values after a POST."""
    errors = errors or {}
    return [_field(question, submitted, tuple(errors.get(question.name, ())))
            for question in product.questions]


def _field(question: Question, submitted: Mapping[str, str] | None,
           errors: tuple[str, ...]) -> FormField:
    common = dict(name=question.name, id=ID_PREFIX + question.name, label=question.label,
                  unit=question.unit, help=question.help, errors=errors,
                  # A question with a default can never be missing, so it needs no mark.
                  required=question.required and question.default is None)
    raw = None if submitted is None else submitted.get(question.name)
    if question.type is QuestionType.BOOLEAN:
        checked = bool(question.default) if submitted is None else raw is not None
        return FormField(kind="checkbox", checked=checked, **common)
    value = _initial(question) if submitted is None else (raw or "")
    if question.type is QuestionType.CHOICE:
        options = tuple((c.value, c.label) for c in question.choices)
        # A select cannot wrap: choices too long for a phone's width become radio buttons.
        kind = "radio" if max(len(label) for _, label in options) > LONGEST_SELECT_OPTION else "select"
        return FormField(kind=kind, value=value, placeholder_option=question.default is None,
                         options=options, **common)
    if question.type is QuestionType.DATE:
        return FormField(kind="date", value=value, attrs={"autocomplete": "off"}, **common)
    if question.type is QuestionType.INTEGER:
        return FormField(kind="number", value=value, attrs=_number_attrs(question),
                         range_hint=_range_hint(question), **common)
    if question.type is QuestionType.DECIMAL:
        return FormField(kind="text", value=value, range_hint=_range_hint(question),
                         attrs={"inputmode": "decimal", "autocomplete": "off"}, **common)
    return FormField(kind="text", value=value, attrs=_text_attrs(question), **common)


def _initial(question: Question) -> str:
    default: Any = question.default
    if default is None:
        return ""
    if hasattr(default, "isoformat"):
        return default.isoformat()
    return str(default)


def _number_attrs(question: Question) -> dict[str, str]:
    attrs = {"inputmode": "numeric"}
    if question.minimum is not None:
        attrs["min"] = _plain(question.minimum)
    if question.maximum is not None:
        attrs["max"] = _plain(question.maximum)
    if question.step is not None:
        attrs["step"] = _plain(question.step)
    return attrs


def _range_hint(question: Question) -> str | None:
    """The allowed values in words, in the engine's own number format."""
    unit = f" {question.unit}" if question.unit else ""
    low, high = question.minimum, question.maximum
    if low is not None and high is not None:
        text = f"{format_number(low)} bis {format_number(high)}{unit}"
    elif low is not None:
        text = f"mindestens {format_number(low)}{unit}"
    elif high is not None:
        text = f"höchstens {format_number(high)}{unit}"
    else:
        return None
    if question.step is not None:
        text += f", in Schritten von {format_number(question.step)}{unit}"
    return text


def _text_attrs(question: Question) -> dict[str, str]:
    if question.pattern == POSTCODE_PATTERN:
        return {"inputmode": "numeric", "maxlength": "5", "autocomplete": "postal-code",
                "pattern": POSTCODE_PATTERN}
    attrs = {"autocomplete": "off"}
    if question.pattern:
        attrs["pattern"] = question.pattern
    return attrs


def _plain(number: Decimal) -> str:
    """A number as HTML attributes want it: dot decimal point, no exponent."""
    return format(Decimal(number).normalize(), "f")
