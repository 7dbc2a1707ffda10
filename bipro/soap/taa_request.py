"""Reading a getQuote request (Norm 420) into core ``QuoteRequest``s.

Lookups go by local name in the tarifierung namespace or in none (some
clients send the children unqualified). What cannot be read at all (no
ProduktID, an Angabe without Name, a date that is not one) is collected
per Tarifierung as Meldung 00001, so that together with the rating
problems of the other entries the client learns everything at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bipro.core.tariff.quotes import QuoteRequest
from bipro.soap import faults
from bipro.soap.faults import BiproFault, Meldung
from bipro.soap.namespaces import TAA
from bipro.soap.xmlutil import child, children, text

ACCEPT = (TAA, None)
MAX_TARIFIERUNGEN = 50
MAX_ANGABEN = 100
_DATE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?")
_SPARTE = re.compile(r"[0-9]{3}")


@dataclass
class Entry:
    """One taa:Tarifierung of the request: a readable request, or why not."""

    number: int  # 1-based, as in the XPath-like Quelle
    request: QuoteRequest | None = None
    problems: list[Meldung] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"taa:Tarifierung[{self.number}]"


def read_entries(body) -> list[Entry]:
    """Every Tarifierung of ``taa:getQuote``; raises 00001 if there is none to read."""
    request = child(body, "Request", ACCEPT)
    if request is None:
        raise BiproFault.of(faults.INCOMPLETE_DATA, "Die Anfrage enthält kein taa:Request.",
                            quelle="taa:Request")
    items = children(request, "Tarifierung", ACCEPT)
    if not items:
        raise BiproFault.of(faults.INCOMPLETE_DATA,
                            "Die Anfrage muss mindestens eine taa:Tarifierung enthalten.",
                            quelle="taa:Request/taa:Tarifierung")
    if len(items) > MAX_TARIFIERUNGEN:
        raise BiproFault.of(faults.INCOMPLETE_DATA,
                            f"Höchstens {MAX_TARIFIERUNGEN} Tarifierungen je Anfrage sind möglich.",
                            quelle="taa:Request/taa:Tarifierung")
    return [_read_entry(number, item) for number, item in enumerate(items, start=1)]


def _read_entry(number: int, item) -> Entry:
    entry = Entry(number)
    path = entry.path

    def problem(text_: str, quelle: str) -> None:
        entry.problems.append(Meldung(faults.INCOMPLETE_DATA, text_, faults.ERROR, quelle))

    on = None
    raw_date = text(item, "Berechnungsdatum", ACCEPT)
    if raw_date:
        on = _parse_date(raw_date)
        if on is None:
            problem(f"Berechnungsdatum „{raw_date}“ ist kein gültiges Datum (JJJJ-MM-TT).",
                    f"{path}/taa:Berechnungsdatum")

    product = child(item, "Verkaufsprodukt", ACCEPT)
    product_id = text(product, "ProduktID", ACCEPT) if product is not None else None
    sparte = text(product, "Sparte", ACCEPT) if product is not None else None
    if product is None:
        problem("Verkaufsprodukt fehlt.", f"{path}/taa:Verkaufsprodukt")
    else:
        if not product_id:
            problem("ProduktID fehlt.", f"{path}/taa:Verkaufsprodukt/taa:ProduktID")
        if not sparte:
            problem("Sparte fehlt.", f"{path}/taa:Verkaufsprodukt/taa:Sparte")
        elif not _SPARTE.fullmatch(sparte):
            problem(f"Sparte „{sparte}“ muss aus drei Ziffern bestehen.",
                    f"{path}/taa:Verkaufsprodukt/taa:Sparte")

    answers = _read_answers(child(item, "Risikodaten", ACCEPT), path, problem)
    if not entry.problems:
        entry.request = QuoteRequest(product_id=product_id, answers=answers, on=on, sparte=sparte)
    return entry


def _read_answers(risikodaten, path: str, problem) -> dict[str, str | None]:
    angaben = children(risikodaten, "Angabe", ACCEPT)
    where = f"{path}/taa:Risikodaten/taa:Angabe"
    if len(angaben) > MAX_ANGABEN:
        problem(f"Höchstens {MAX_ANGABEN} Angaben je Tarifierung sind möglich.", where)
        return {}
    answers: dict[str, str | None] = {}
    for position, angabe in enumerate(angaben, start=1):
        name = text(angabe, "Name", ACCEPT)
        if not name:
            problem("Angabe ohne Name.", f"{where}[{position}]/taa:Name")
            continue
        if name in answers:
            problem(f"Angabe „{name}“ ist mehrfach angegeben.", angabe_path(path, name))
            continue
        # An absent or empty Wert is "not given": the engine applies the default or reports it missing.
        answers[name] = text(angabe, "Wert", ACCEPT)
    return answers


def angabe_path(path: str, name: str) -> str:
    """XPath-like pointer at the Angabe with this Name, for nac:Quelle."""
    quote = '"' if "'" in name else "'"
    return f"{path}/taa:Risikodaten/taa:Angabe[taa:Name={quote}{name}{quote}]"


def _parse_date(raw: str) -> date | None:
    match = _DATE.fullmatch(raw)
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None
