"""The result of a calculation: a ``Quote`` with one line per frequency."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Mapping

from store.german import format_money

from .model import PaymentFrequency, Product
from .parsing import display_value
from .rules import Step

# Column key -> German heading, in display order, for ``Quote.rows``.
TABLE_HEADINGS: dict[str, str] = {
    "frequency": "Zahlungsweise",
    "net": "Nettobeitrag",
    "tax": "Versicherungsteuer",
    "gross": "Bruttobeitrag",
    "annual_net": "Netto pro Jahr",
    "annual_tax": "Steuer pro Jahr",
    "annual_gross": "Brutto pro Jahr",
}


@dataclass(frozen=True)
class PremiumLine:
    """Premium per payment for one payment frequency, plus annual totals."""

    frequency: PaymentFrequency
    net: Decimal    # per payment, incl. frequency surcharge
    tax: Decimal    # Versicherungsteuer per payment
    gross: Decimal  # net + tax

    @property
    def code(self) -> str:
        return self.frequency.code

    @property
    def annual_net(self) -> Decimal:
        return self.net * self.frequency.payments

    @property
    def annual_tax(self) -> Decimal:
        return self.tax * self.frequency.payments

    @property
    def annual_gross(self) -> Decimal:
        return self.gross * self.frequency.payments


@dataclass(frozen=True)
class Quote:
    """A calculated offer for one product version on one date."""

    product: Product
    on: date                      # the date whose rates were applied
    answers: Mapping[str, Any]    # parsed, with defaults filled in
    derived: Mapping[str, Any]    # e.g. sum_insured, zone, age
    annual_net: Decimal           # rounded, before frequency surcharges
    lines: tuple[PremiumLine, ...]
    steps: tuple[Step, ...]       # calculation trace, unrounded

    def line(self, code: str) -> PremiumLine:
        """The premium line for a BiPRO frequency code ("1", "2", "4", "8")."""
        for line in self.lines:
            if line.code == code:
                return line
        raise KeyError(code)

    def rows(self, formatted: bool = False) -> list[dict[str, Any]]:
        """One dict per frequency, keys as in ``TABLE_HEADINGS``.

        With ``formatted=True`` amounts are German strings ("1.234,50 €").
        """
        show = format_money if formatted else (lambda amount: amount)
        return [{
            "frequency": line.frequency.label,
            "net": show(line.net),
            "tax": show(line.tax),
            "gross": show(line.gross),
            "annual_net": show(line.annual_net),
            "annual_tax": show(line.annual_tax),
            "annual_gross": show(line.annual_gross),
        } for line in self.lines]

    def answer_rows(self) -> list[tuple[str, str]]:
        """(German label, displayed value) for each question, for summaries."""
        return [(question.label,
                 display_value(question, self.answers.get(question.name)))
                for question in self.product.questions]
