"""The product catalogue: all versions of all products, looked up by date."""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any, Iterable, Iterator, Mapping

from ..clock import local_today
from .engine import calculate
from .errors import Problem, TariffDataError, UnknownProduct
from .loader import load_products
from .model import Product
from .result import Quote
from .validation import check


class Catalogue:
    """Product versions grouped by product id, without overlapping validity."""

    def __init__(self, products: Iterable[Product]):
        grouped: dict[str, list[Product]] = defaultdict(list)
        for product in products:
            grouped[product.product_id].append(product)
        self._versions: dict[str, tuple[Product, ...]] = {}
        for product_id, versions in grouped.items():
            versions.sort(key=lambda p: p.valid_from)
            for older, newer in zip(versions, versions[1:]):
                if older.valid_until is None or older.valid_until >= newer.valid_from:
                    raise TariffDataError(
                        f"{product_id}: versions {older.version} and "
                        f"{newer.version} overlap")
            self._versions[product_id] = tuple(versions)

    @classmethod
    def from_data(cls, data: Iterable[Mapping[str, Any]]) -> "Catalogue":
        return cls(load_products(data))

    def __iter__(self) -> Iterator[Product]:
        for versions in self._versions.values():
            yield from versions

    def product_ids(self) -> list[str]:
        return sorted(self._versions)

    def versions(self, product_id: str) -> tuple[Product, ...]:
        """All versions of a product, oldest first."""
        try:
            return self._versions[product_id]
        except KeyError:
            raise UnknownProduct(product_id) from None

    def get(self, product_id: str, on: date | None = None) -> Product:
        """The version of ``product_id`` valid on ``on`` (default: today in Germany)."""
        day = on or local_today()
        for product in self.versions(product_id):
            if product.is_valid_on(day):
                return product
        raise UnknownProduct(product_id, day)

    def on_offer(self, on: date | None = None) -> list[Product]:
        """Products valid on ``on`` (default: today in Germany), by Sparte and id."""
        day = on or local_today()
        offered = [p for p in self if p.is_valid_on(day)]
        return sorted(offered, key=lambda p: (p.sparte, p.product_id))

    def validate(self, product_id: str, answers: Mapping[str, Any],
                 on: date | None = None) -> list[Problem]:
        """Every problem with ``answers``; an empty list means quotable."""
        day = on or local_today()
        return list(check(self.get(product_id, day), answers, day).problems)

    def quote(self, product_id: str, answers: Mapping[str, Any],
              on: date | None = None) -> Quote:
        """Calculate with the version valid on ``on`` (default: today in Germany).

        ``on`` is also the reference date for ages and building ages.
        """
        day = on or local_today()
        return calculate(self.get(product_id, day), answers, day)
