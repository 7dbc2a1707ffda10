"""The two list screens, Kundenübersicht and Bestandsverträge: texts, filters, exports, links.

The rows, columns and German cell texts come from ``bipro.core.search``; this
module adds what only the screen needs: headings as in the manual, the
filter selects, the kind of each column for Excel/CSV/PDF and the AKTION links.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from flask import url_for

from bipro.core.exports import ExportColumn
from bipro.core.search import CONTRACT_LIST, CUSTOMER_LIST, ListRow, ListSpec
from portal.list_state import FilterChoice
from store.code_lists import SPARTE


@dataclass(frozen=True)
class Action:
    """One AKTION link of a row."""

    kind: str  # "customer" | "contract" (the icon)
    label: str  # for screen readers and the tooltip
    url: str


@dataclass(frozen=True)
class ListScreen:
    spec: ListSpec
    title: str  # navigation, export titles: "Kundenübersicht"
    heading: str  # "Kundenliste: Übersicht über alle Kunden in Ihrem Bestand"
    intro: str
    file_stem: str  # download names: "Kundenuebersicht_2024-05-02.csv"
    kinds: dict[str, tuple[str, int]]  # column key -> (export kind, width in characters)
    actions: Callable[[ListRow], list[Action]]
    choices: tuple[FilterChoice, ...] = ()
    header_notes: dict[str, str] = field(default_factory=dict)  # column key -> tooltip
    footnote: str = ""  # the line under the table that explains the marked headers

    @property
    def export_columns(self) -> list[ExportColumn]:
        return [ExportColumn(col.header, *self.kinds[col.key]) for col in self.spec.columns]

    @cached_property
    def _export_shown(self) -> tuple[Callable | None, ...]:
        """Per column: None where the value is exported as it is, else how it is shown."""
        return tuple(None if self.kinds[col.key][0] in ("money", "date") else col.display
                     for col in self.spec.columns)

    def export_values(self, values: tuple) -> list[object]:
        """A row's values (``iter_values``) for export: money and dates as values (Excel gets
        numbers and dates), the rest as shown."""
        # Once per exported row: the choice per column is made once per screen.
        return [value if show is None else show(value) for show, value in zip(self._export_shown, values)]

    def sort_label(self, order) -> str:
        """``NAME aufsteigend, dann VORNAME absteigend``: an order as words."""
        headers = {col.key: col.header for col in self.spec.columns}
        return ", dann ".join(f"{headers[key]} {'aufsteigend' if direction == 'asc' else 'absteigend'}"
                              for key, direction in order)

    def is_numeric(self, key: str) -> bool:
        return self.kinds[key][0] in ("money", "integer")

    def filter_text(self, filters: dict[str, str]) -> str:
        """``Status: lebend, Sparte: Hausrat`` for the export's head; empty without filters."""
        parts = [f"{c.label}: {c.label_of(filters[c.name])}" for c in self.choices
                 if filters.get(c.name, c.default) != c.default]
        return ", ".join(parts)


def _open_customer(row: ListRow) -> Action:
    number = row["partner_number"]
    return Action("customer", f"Kunde {number} öffnen",
                  url_for("customers.show", partner_number=number))


def _open_contract(row: ListRow) -> Action:
    number = row["policy_number"]
    return Action("contract", f"Vertrag {number} öffnen",
                  url_for("contracts.show", policy_number=number))


CUSTOMERS = ListScreen(
    spec=CUSTOMER_LIST,
    title="Kundenübersicht",
    heading="Kundenliste: Übersicht über alle Kunden in Ihrem Bestand",
    intro="Ihr Einstieg in die Kundenverwaltung mit der Übersicht der Kunden in Ihrem "
          "verwalteten Versicherungsbestand.",
    file_stem="Kundenuebersicht",
    kinds={"partner_number": ("text", 9), "first_name": ("text", 16), "last_name": ("text", 18),
           "street": ("text", 24), "postcode": ("text", 7), "town": ("text", 18),
           "birth_date": ("date", 13)},
    actions=lambda row: [_open_customer(row)],
)

# The manual's NETTO and BRUTTO are the premium per payment of the contract's
# Zahlungsweise; yearly figures are on the Vertragsansicht and the Startseite.
PER_PAYMENT_NOTE = ("NETTO und BRUTTO: Beitrag je Zahlung laut Zahlungsweise des Vertrags "
                    "(z. B. monatlich). Den Jahresbeitrag zeigt die Vertragsansicht.")

STATUS_CHOICE = FilterChoice("status", "Status", (
    ("alle", "Alle"), ("lebend", "lebend"), ("storniert", "storniert")))
SPARTE_CHOICE = FilterChoice("sparte", "Sparte", (("", "Alle Sparten"),) + tuple(
    sorted(SPARTE.names.items())))

CONTRACTS = ListScreen(
    spec=CONTRACT_LIST,
    title="Bestandsverträge",
    heading="Bestandsverträge: Übersicht über alle Verträge in Ihrem Bestand",
    intro="Ihr Einstieg in die Vertragsverwaltung mit der Übersicht der Verträge in Ihrem "
          "verwalteten Versicherungsbestand.",
    file_stem="Bestandsvertraege",
    kinds={"partner_number": ("text", 9), "customer": ("text", 24), "town": ("text", 16),
           "policy_number": ("text", 15), "sparte": ("text", 12), "status": ("text", 10),
           "net_premium": ("money", 12), "gross_premium": ("money", 12), "stand": ("date", 11)},
    actions=lambda row: [_open_customer(row), _open_contract(row)],
    choices=(STATUS_CHOICE, SPARTE_CHOICE),
    header_notes={"net_premium": "Nettobeitrag je Zahlung, ohne Versicherungsteuer",
                  "gross_premium": "Bruttobeitrag je Zahlung, mit Versicherungsteuer"},
    footnote=PER_PAYMENT_NOTE,
)
