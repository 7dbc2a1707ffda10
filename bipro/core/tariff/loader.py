"""Building ``Product`` objects from plain product data, with sanity checks.

The data format is described in ``products/__init__.py``. Every mistake
in the data (unknown rule kind, a table missing a choice, a reference to
a question that does not exist, a float rate) raises TariffDataError when
the catalogue is loaded, not when a customer asks for a quote.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any, Iterable, Mapping

from .derive import KINDS as DERIVATION_KINDS
from .errors import TariffDataError
from .lookup import Bands, Lookup, key_of
from .model import FREQUENCIES, Choice, Constraint, Derivation, PaymentFrequency, Product, Question, QuestionType, Rule
from .money import to_decimal
from .parsing import InvalidAnswer, parse
from .rules import PARAMETERS
from .validation import check_value

CONSTRAINT_KINDS = ("at_least_one", "requires")


def load_products(data: Iterable[Mapping[str, Any]]) -> list[Product]:
    """One Product per version; a version's keys override the common ones."""
    products = []
    for entry in data:
        common = {key: value for key, value in entry.items()
                  if key != "versions"}
        for version in entry["versions"]:
            merged = {**common, **version}
            where = f"{merged.get('product_id')} {merged.get('version')}"
            try:
                product = _product(merged)
                _check_references(product)
            except (KeyError, TypeError, ValueError, LookupError) as exc:
                raise TariffDataError(f"{where}: {exc}") from exc
            products.append(product)
    return products


def _product(d: Mapping[str, Any]) -> Product:
    valid_from = _date(d["valid_from"])
    valid_until = _date(d["valid_until"]) if d.get("valid_until") else None
    if valid_until is not None and valid_until < valid_from:
        raise ValueError("valid_until before valid_from")
    if not re.fullmatch(r"\d{3}", d["sparte"]):
        raise ValueError(f"Sparte must have three digits: {d['sparte']!r}")
    return Product(
        product_id=d["product_id"], version=d["version"], sparte=d["sparte"],
        name=d["name"], valid_from=valid_from, valid_until=valid_until,
        questions=tuple(_question(q) for q in d["questions"]),
        derivations=tuple(_derivation(x) for x in d.get("derived", ())),
        rules=tuple(_rule(r) for r in d["rules"]),
        constraints=tuple(_constraint(c) for c in d.get("constraints", ())),
        frequencies=_frequencies(d["payment_surcharges"]),
        tax_rate=to_decimal(d["tax_rate"]),
        description=d.get("description", ""),
    )


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _optional_decimal(value: Any):
    return None if value is None else to_decimal(value)


def _question(d: Mapping[str, Any]) -> Question:
    question = Question(
        name=d["name"], label=d["label"], type=QuestionType(d["type"]),
        required=d.get("required", True),
        minimum=_optional_decimal(d.get("min")),
        maximum=_optional_decimal(d.get("max")),
        step=_optional_decimal(d.get("step")), unit=d.get("unit"),
        choices=tuple(Choice(key_of(value), label)
                      for value, label in d.get("choices", ())),
        pattern=d.get("pattern"), pattern_message=d.get("pattern_message"),
        help=d.get("help"),
    )
    if (question.type is QuestionType.CHOICE) != bool(question.choices):
        raise ValueError(f"{question.name}: choices belong to choice questions")
    if d.get("default") is None:
        return question
    # Defaults go through the same parser and checks as answers, so a
    # default can never be something a user would not be allowed to enter.
    try:
        default = parse(question, d["default"])
        check_value(question, default)
    except InvalidAnswer as exc:
        raise ValueError(f"{question.name}: bad default: {exc}") from None
    return replace(question, default=default)


def _bands(pairs: Iterable[Any]) -> Bands:
    steps = tuple((to_decimal(bound), to_decimal(value))
                  for bound, value in pairs)
    bounds = [bound for bound, _ in steps]
    if not steps or bounds != sorted(set(bounds)):
        raise ValueError(f"band bounds must ascend strictly: {bounds}")
    return Bands(steps)


def _lookup(spec: Any) -> Lookup:
    if not isinstance(spec, Mapping):
        return Lookup(constant=to_decimal(spec))
    if "bands" in spec:
        return Lookup(by=spec["by"], bands=_bands(spec["bands"]))
    table = {key_of(key): to_decimal(value)
             for key, value in spec["table"].items()}
    return Lookup(by=spec["by"], table=table)


def _derivation(d: Mapping[str, Any]) -> Derivation:
    if d["kind"] not in DERIVATION_KINDS:
        raise ValueError(f"unknown derivation kind {d['kind']!r}")
    derivation = Derivation(
        name=d["name"], kind=d["kind"], input=d["input"],
        label=d.get("label"), unit=d.get("unit"),
        factor=_lookup(d["factor"]) if "factor" in d else None,
        bands=_bands(d["bands"]) if "bands" in d else None,
        digits=d.get("digits", 2),
        minimum=_optional_decimal(d.get("min")),
        maximum=_optional_decimal(d.get("max")),
        message=d.get("message"),
    )
    has_range = derivation.minimum is not None or derivation.maximum is not None
    if has_range and not derivation.message:
        raise ValueError(f"{derivation.name}: a range needs a message")
    if derivation.kind == "multiply" and derivation.factor is None:
        raise ValueError(f"{derivation.name}: multiply needs a factor")
    if derivation.kind == "postcode_zone" and derivation.bands is None:
        raise ValueError(f"{derivation.name}: postcode_zone needs bands")
    return derivation


def _rule(d: Mapping[str, Any]) -> Rule:
    kind = d["kind"]
    if kind not in PARAMETERS:
        raise ValueError(f"unknown rule kind {kind!r}")
    rule = Rule(kind=kind, label=d["label"],
                value=_lookup(d[PARAMETERS[kind]]), input=d.get("input"),
                per=_optional_decimal(d.get("per")), when=d.get("if"))
    if kind == "rate_per_unit" and (rule.input is None or not rule.per):
        raise ValueError(f"{rule.label}: rate_per_unit needs input and per")
    if kind == "discount":
        if any(not 0 <= value < 100 for value in _all_values(rule.value)):
            raise ValueError(f"{rule.label}: discounts lie in [0, 100)")
    return rule


def _all_values(lookup: Lookup) -> list:
    if lookup.by is None:
        return [lookup.constant]
    if lookup.bands is not None:
        return [value for _, value in lookup.bands.steps]
    return list(lookup.table.values())


def _constraint(d: Mapping[str, Any]) -> Constraint:
    if d["kind"] not in CONSTRAINT_KINDS:
        raise ValueError(f"unknown constraint kind {d['kind']!r}")
    names = (tuple(d["questions"]) if d["kind"] == "at_least_one"
             else (d["question"], d["requires"]))
    return Constraint(kind=d["kind"], questions=names, message=d["message"])


def _frequencies(surcharges: Mapping[str, Any]) -> tuple[PaymentFrequency, ...]:
    if not surcharges or not set(surcharges) <= set(FREQUENCIES):
        raise ValueError(f"payment frequencies must be among {list(FREQUENCIES)}")
    return tuple(
        PaymentFrequency(code, FREQUENCIES[code][0], FREQUENCIES[code][1],
                         to_decimal(surcharges[code]))
        for code in FREQUENCIES if code in surcharges)


def _check_references(product: Product) -> None:
    """Every name a derivation, rule or constraint uses must exist."""
    questions = {q.name: q for q in product.questions}
    if len(questions) != len(product.questions):
        raise ValueError("duplicate question names")
    known = set(questions)
    for derivation in product.derivations:
        if derivation.input not in known or derivation.name in known:
            raise ValueError(f"derivation {derivation.name}: bad names")
        if derivation.factor is not None:
            _check_lookup(derivation.factor, known, questions)
        known.add(derivation.name)
    for rule in product.rules:
        if rule.input is not None and rule.input not in known:
            raise ValueError(f"{rule.label}: unknown input {rule.input!r}")
        if rule.when is not None and (
                rule.when not in questions
                or questions[rule.when].type is not QuestionType.BOOLEAN):
            raise ValueError(f"{rule.label}: 'if' needs a boolean question")
        _check_lookup(rule.value, known, questions)
    for constraint in product.constraints:
        for name in constraint.questions:
            if name not in questions or (
                    questions[name].type is not QuestionType.BOOLEAN):
                raise ValueError(f"constraint on non-boolean {name!r}")


def _check_lookup(lookup: Lookup, known: set[str],
                  questions: Mapping[str, Question]) -> None:
    if lookup.by is None:
        return
    if lookup.by not in known:
        raise ValueError(f"lookup by unknown value {lookup.by!r}")
    question = questions.get(lookup.by)
    if lookup.bands is None and question is not None and question.choices:
        # A table on a choice must price every choice and nothing else.
        if set(lookup.table) != set(question.choice_values):
            raise ValueError(f"table by {lookup.by!r} does not match its "
                             f"choices {question.choice_values}")
