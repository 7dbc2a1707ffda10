"""Value lookups used by rules: a constant, a table, or bands.

A rule parameter (a rate, a factor, a percentage) is either a fixed number
or depends on another value of the risk, e.g. the rate per 1000 € by zone
or the factor by age. In product data this reads::

    "1.30"                                            # constant
    {"by": "zone", "table": {1: "1.00", 2: "1.30"}}   # exact key
    {"by": "age", "bands": [[18, "0.80"], [26, "1.00"], [60, "0.90"]]}

Bands are lower bounds: a value belongs to the last band whose bound it
reaches, so bands cannot leave gaps. Values below the first bound are a
data error (the question's min or a derived value's min must prevent them).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Mapping


def key_of(value: Any) -> str:
    """Canonical table key for a value: 2, '2' and Decimal('2.0') are equal."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return str(int(value))
        return format(value.normalize(), "f")
    return str(value)


@dataclass(frozen=True)
class Bands:
    """Step function over numbers: sorted (lower bound, value) pairs."""

    steps: tuple[tuple[Decimal, Decimal], ...]

    def find(self, number: Decimal | int) -> Decimal:
        result = None
        for bound, value in self.steps:
            if number >= bound:
                result = value
            else:
                break
        if result is None:
            raise LookupError(f"{number} lies below the first band")
        return result


@dataclass(frozen=True)
class Lookup:
    """A rule parameter: constant, table lookup or band lookup."""

    constant: Decimal | None = None
    by: str | None = None
    table: Mapping[str, Decimal] = field(default_factory=dict)
    bands: Bands | None = None

    def resolve(self, values: Mapping[str, Any]) -> Decimal:
        if self.by is None:
            assert self.constant is not None
            return self.constant
        value = values[self.by]
        if self.bands is not None:
            return self.bands.find(value)
        try:
            return self.table[key_of(value)]
        except KeyError:
            raise LookupError(
                f"no table entry for {self.by}={value!r}") from None
