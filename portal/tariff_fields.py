"""The Tarifrechner's form: answers read from it, problems sorted onto it, fields built for it.

A submitted form becomes the engine's answers here (only the product's
questions; a blank field left out; an unticked checkbox, which a browser
does not send, meaning "nein"), and the engine's problems are sorted beside
their field or above the form.

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

from bipro.core.tariff import Problem, Product, Question, QuestionType, Quote
from bipro.core.tariff import errors as tariff_errors
from bipro.core.tariff.offers import Rating
from store.german import format_number

ID_PREFIX = "frage-"
# Characters of the longest option a select may have and still show whole on a 390 px phone.
LONGEST_SELECT_OPTION = 28
POSTCODE_PATTERN = "[0-9]{5}"
# Problems that belong to no single field: shown above the form, not beside a field.
GENERAL_CODES = frozenset({tariff_errors.COMBINATION, tariff_errors.UNKNOWN})


def answers_from_form(product: Product, form: Mapping[str, str]) -> dict[str, Any]:
    """The engine's answers from submitted form fields.

    Only the product's questions are taken (the engine refuses unknown keys,
    and a form carries a CSRF token and buttons besides). A blank field is
    left out so the engine applies the default or reports it missing; an
    unticked checkbox is not sent by a browser at all, so it means "nein".
    """
    answers: dict[str, Any] = {}
    for question in product.questions:
        raw = form.get(question.name)
        if question.type is QuestionType.BOOLEAN and raw is None:
            answers[question.name] = False
        elif raw is not None and raw.strip():
            answers[question.name] = raw.strip()
    return answers


@dataclass(frozen=True)
class FormOutcome:
    """A quote, or the problems sorted for a form: beside their field or above the form."""

    quote: Quote | None = None
    field_errors: Mapping[str, list[str]] = field(default_factory=dict)
    general_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.quote is not None


def form_outcome(product: Product, rating: Rating) -> FormOutcome:
    """The rating for the form page: the quote, or its problems sorted by :func:`sort_problems`."""
    if rating.ok:
        return FormOutcome(quote=rating.quote)
    return sort_problems(product, rating.problems)


def sort_problems(product: Product, problems: tuple[Problem, ...]) -> FormOutcome:
    """Field problems go to their question; cross-field ones (and strays) to the top."""
    names = {question.name for question in product.questions}
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for problem in problems:
        if problem.code in GENERAL_CODES or problem.field not in names:
            general.append(problem.message)
        else:
            by_field.setdefault(problem.field, []).append(problem.message)
    return FormOutcome(field_errors=by_field, general_errors=general)


def form_values(quote: Quote, form: Mapping[str, str]) -> dict[str, str]:
    """The raw field values that reproduce this quote (for a second form, e.g. the PDF)."""
    values = {}
    for question in quote.product.questions:
        raw = form.get(question.name)
        if question.type is QuestionType.BOOLEAN:
            if quote.answers.get(question.name):
                values[question.name] = "ja"
        elif raw is not None and raw.strip():
            values[question.name] = raw.strip()
    return values


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
