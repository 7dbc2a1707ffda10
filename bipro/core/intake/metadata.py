"""The JSON metadata of an intake call: checked field by field, then resolved in the broker's portfolio.

Fields (German, as on the BiPRO wire): ``Vermittlernummer``, optionally
``Partnernummer`` and ``Versicherungsscheinnummer``, ``Kategorie`` (nine
digits), ``Dokumentart``, ``Titel``, optionally ``ArtDerLieferung`` and
``Sparte`` (otherwise derived from the category and the contract). A batch
may describe each file in ``Dokumente`` (a list of ``Dokumentart``/``Titel``
objects, one per file, in order). Every problem names its field.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bipro.core.errors import Problem, ValidationFailed
from bipro.core.shipments.gdv_export import GDV_KIND
from bipro.core.shipments.queries import CATEGORY
from bipro.core.text_rules import FORBIDDEN_CHARACTERS, composed, has_forbidden_characters
from store.models import Broker, Contract, Customer

FIELDS = {"Vermittlernummer", "Partnernummer", "Versicherungsscheinnummer", "Kategorie", "Dokumentart",
          "Titel", "ArtDerLieferung", "Sparte", "Dokumente"}
DOCUMENT_TYPE = re.compile(r"^[A-Za-zÄÖÜäöüß0-9_ -]{1,40}$")
SPARTE = re.compile(r"^[0-9]{3}$")
TITLE_LIMIT = 200
MAX_JSON = 64 * 1024
# ArtDerLieferung by the leading digits of the category (GeVo-Art), most specific first.
KIND_BY_CATEGORY = (("999", GDV_KIND), ("10", 1001), ("11", 1002), ("12", 1003), ("13", 1003),
                    ("14", 1004), ("15", 1005), ("16", 1006), ("2", 2001))
DEFAULT_KIND = 1001


@dataclass(frozen=True)
class FileDescription:
    document_type: str
    title: str


@dataclass(frozen=True)
class IntakeMetadata:
    """Checked metadata, not yet resolved against the portfolio."""

    broker_number: str
    partner_number: str | None
    policy_number: str | None
    category: str
    kind: int | None
    sparte: str | None
    files: tuple[FileDescription, ...]

    def canonical(self) -> str:
        """A stable text of everything that decides the shipment (for idempotency)."""
        return json.dumps([self.broker_number, self.partner_number, self.policy_number, self.category,
                           self.kind, self.sparte, [[f.document_type, f.title] for f in self.files]],
                          ensure_ascii=False)


@dataclass(frozen=True)
class Target:
    """Where the shipment goes: the broker, optionally customer and contract, and its codes."""

    broker_id: int
    customer_id: int | None
    contract_id: int | None
    kind: int
    sparte: str | None


def parse_metadata(raw: str | bytes | None, file_count: int) -> IntakeMetadata:
    """Check the JSON text; ValidationFailed lists every problem with its field."""
    if raw is None or not str(raw if isinstance(raw, str) else raw.decode("utf-8", "replace")).strip():
        raise ValidationFailed([Problem("metadata", "Die Metadaten (JSON) fehlen.")])
    if len(raw) > MAX_JSON:
        raise ValidationFailed([Problem("metadata", "Die Metadaten sind größer als 64 KiB.")])
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed([Problem("metadata", "Die Metadaten sind kein gültiges JSON.")]) from None
    if not isinstance(data, dict):
        raise ValidationFailed([Problem("metadata", "Die Metadaten müssen ein JSON-Objekt sein.")])
    problems = [Problem(name, f"Das Feld {name} ist unbekannt.") for name in sorted(set(data) - FIELDS)]
    broker = _text(data, "Vermittlernummer", 20, problems, required=True)
    partner = _text(data, "Partnernummer", 20, problems)
    policy = _text(data, "Versicherungsscheinnummer", 30, problems)
    category = _text(data, "Kategorie", 9, problems, required=True)
    if category is not None and not CATEGORY.match(category):
        problems.append(Problem("Kategorie", "Die Kategorie muss aus genau neun Ziffern bestehen."))
    sparte = _text(data, "Sparte", 3, problems)
    if sparte is not None and not SPARTE.match(sparte):
        problems.append(Problem("Sparte", "Die Sparte besteht aus drei Ziffern."))
    kind = data.get("ArtDerLieferung")
    if kind is not None and (isinstance(kind, bool) or not isinstance(kind, (int, str))
                             or not str(kind).isdigit() or not 1 <= int(kind) <= 9999):
        problems.append(Problem("ArtDerLieferung", "ArtDerLieferung ist eine Zahl von 1 bis 9999."))
        kind = None
    files = _descriptions(data, file_count, problems)
    if problems:
        raise ValidationFailed(problems)
    return IntakeMetadata(broker, partner, policy, category, int(kind) if kind is not None else None,
                          sparte, tuple(files))


def resolve(session: Session, meta: IntakeMetadata) -> Target:
    """Find broker, customer and contract; one of another broker is unknown, as everywhere."""
    broker_id = session.scalar(select(Broker.id).where(Broker.number == meta.broker_number))
    if broker_id is None:
        raise ValidationFailed([Problem("Vermittlernummer", f"Vermittlernummer {meta.broker_number} ist unbekannt.")])
    problems = []
    customer_id = contract_id = None
    sparte = meta.sparte
    if meta.partner_number is not None:
        customer_id = session.scalar(select(Customer.id).where(
            Customer.partner_number == meta.partner_number, Customer.broker_id == broker_id))
        if customer_id is None:
            problems.append(Problem("Partnernummer", f"Der Vermittler hat keinen Kunden {meta.partner_number}."))
    if meta.policy_number is not None:
        contract = session.execute(select(Contract.id, Contract.customer_id, Contract.sparte).where(
            Contract.policy_number == meta.policy_number, Contract.broker_id == broker_id)).first()
        if contract is None:
            problems.append(Problem("Versicherungsscheinnummer",
                                    f"Der Vermittler hat keinen Vertrag {meta.policy_number}."))
        elif customer_id is not None and contract.customer_id != customer_id:
            problems.append(Problem("Versicherungsscheinnummer",
                                    "Der Vertrag gehört nicht zum Kunden mit dieser Partnernummer."))
        else:
            contract_id, customer_id = contract.id, contract.customer_id
            sparte = sparte or contract.sparte
    if problems:
        raise ValidationFailed(problems)
    return Target(broker_id, customer_id, contract_id, meta.kind or kind_of_category(meta.category), sparte)


def kind_of_category(category: str) -> int:
    for prefix, kind in KIND_BY_CATEGORY:
        if category.startswith(prefix):
            return kind
    return DEFAULT_KIND


def _text(data: dict, name: str, limit: int, problems: list[Problem], *, required: bool = False) -> str | None:
    value = data.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.append(Problem(name, f"Das Feld {name} fehlt."))
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        problems.append(Problem(name, f"Das Feld {name} muss ein Text sein."))
        return None
    value = composed(value.strip())
    if len(value) > limit:
        problems.append(Problem(name, f"Das Feld {name} ist länger als {limit} Zeichen."))
        return None
    if has_forbidden_characters(value):
        problems.append(Problem(name, FORBIDDEN_CHARACTERS))
        return None
    return value


def _descriptions(data: dict, file_count: int, problems: list[Problem]) -> list[FileDescription]:
    per_file = data.get("Dokumente")
    if per_file is None:
        one = _description(data, "", problems)
        return [one] * file_count if one else []
    if not isinstance(per_file, list) or len(per_file) != file_count:
        problems.append(Problem("Dokumente", f"Dokumente muss eine Liste mit einem Eintrag je Datei "
                                             f"({file_count}) sein."))
        return []
    found = [_description(item if isinstance(item, dict) else {}, f"Dokumente[{i}].", problems,
                          fallback=data) for i, item in enumerate(per_file)]
    return [f for f in found if f]


def _description(item: dict, prefix: str, problems: list[Problem], fallback: dict | None = None
                 ) -> FileDescription | None:
    merged = {**(fallback or {}), **item}
    before = len(problems)
    document_type = _text(merged, "Dokumentart", 40, problems, required=True)
    if document_type is not None and not DOCUMENT_TYPE.match(document_type):
        problems.append(Problem("Dokumentart", "Die Dokumentart besteht aus Buchstaben, Ziffern, _ und -."))
    title = _text(merged, "Titel", TITLE_LIMIT, problems, required=True)
    for i in range(before, len(problems)):
        problems[i] = Problem(prefix + problems[i].field, problems[i].message)
    return FileDescription(document_type, title) if len(problems) == before else None
