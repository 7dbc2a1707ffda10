"""Checking a full set of answers and collecting every problem at once.

The order of checks: each question in declaration order (missing, type,
allowed values, range, step, pattern), then answers to unknown questions,
then derived values (e.g. age out of range), then cross-field constraints.
A value that already has a problem is left out of the later checks, so a
single mistake is reported once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any, Mapping

from store.german import format_number

from . import errors
from .derive import derive
from .errors import Problem
from .model import Constraint, Product, Question, QuestionType
from .parsing import InvalidAnswer, is_blank, number_text, parse


@dataclass(frozen=True)
class Checked:
    """Outcome of ``check``: usable values plus the problems found."""

    values: Mapping[str, Any]   # parsed answers, defaults filled in
    derived: Mapping[str, Any]  # derived values that could be computed
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check(product: Product, answers: Mapping[str, Any], on: date) -> Checked:
    """Parse and validate ``answers`` for ``product`` as of ``on``."""
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for question in product.questions:
        raw = answers.get(question.name)
        if is_blank(raw):
            if question.default is not None:
                values[question.name] = question.default
            elif question.required:
                problems.append(Problem(question.name,
                                        f"{question.label} fehlt",
                                        errors.MISSING))
            else:
                values[question.name] = None
            continue
        try:
            value = parse(question, raw)
            check_value(question, value)
        except InvalidAnswer as exc:
            problems.append(Problem(question.name, exc.message, exc.code))
        else:
            values[question.name] = value

    asked = {question.name for question in product.questions}
    for name in answers:
        if name not in asked:
            problems.append(Problem(name, f"Unbekannte Angabe „{name}“",
                                    errors.UNKNOWN))

    derived, derive_problems = derive(product, values, on)
    problems.extend(derive_problems)
    for constraint in product.constraints:
        problem = _check_constraint(constraint, values)
        if problem is not None:
            problems.append(problem)
    return Checked(MappingProxyType(values), MappingProxyType(derived),
                   tuple(problems))


def check_value(question: Question, value: Any) -> None:
    """Raise InvalidAnswer if a well-typed value is still not acceptable."""
    if question.type is QuestionType.CHOICE:
        if value not in question.choice_values:
            allowed = ", ".join(c.label for c in question.choices)
            raise InvalidAnswer(
                errors.CHOICE,
                f"{question.label} muss einer der Werte {allowed} sein")
    elif question.type is QuestionType.TEXT:
        if question.pattern and not re.fullmatch(question.pattern, value):
            raise InvalidAnswer(
                errors.FORMAT, question.pattern_message
                or f"{question.label} hat kein gültiges Format")
    elif question.type in (QuestionType.INTEGER, QuestionType.DECIMAL):
        _check_number(question, value)


def _check_number(question: Question, value: Any) -> None:
    low, high = question.minimum, question.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        if low is not None and high is not None:
            text = f"muss zwischen {_bare(question, low)} und {number_text(question, high)} liegen"
        elif low is not None:
            text = f"muss mindestens {number_text(question, low)} betragen"
        else:
            text = f"darf höchstens {number_text(question, high)} betragen"
        raise InvalidAnswer(errors.RANGE, f"{question.label} {text}")
    if question.step is not None:
        offset = value - (low if low is not None else 0)
        if offset % question.step != 0:
            raise InvalidAnswer(
                errors.STEP, f"{question.label} muss ein Vielfaches von "
                f"{number_text(question, question.step)} sein")


def _bare(question: Question, value: Any) -> str:
    """The lower end of a range: the unit follows only the upper one ("zwischen 1 und 5 €")."""
    return format_number(value, grouped=bool(question.unit))

def _check_constraint(constraint: Constraint,
                      values: Mapping[str, Any]) -> Problem | None:
    if any(values.get(name) is None for name in constraint.questions):
        return None  # an involved answer is itself missing or invalid
    if constraint.kind == "at_least_one":
        violated = not any(values[name] for name in constraint.questions)
    else:  # requires: (question, prerequisite)
        question, prerequisite = constraint.questions
        violated = bool(values[question]) and not values[prerequisite]
    if not violated:
        return None
    return Problem(constraint.questions[0], constraint.message,
                   errors.COMBINATION)
