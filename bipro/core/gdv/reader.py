"""Streaming GDV reader: VU-Vermittler files to contracts with their holder.

Reads with the same layout tables the writer uses (``records.py``), line by
line, so memory stays flat however long the file. Lines are ISO-8859-1,
256 characters, ended by CRLF or LF. Numeric, amount and date fields accept
blanks and zeros alike as "no value"; a day or month ``00`` (allowed by the
standard for unknown parts of a date) is read as the first.

The lines of one contract follow each other, keyed by Sparte and policy
number in columns 11-30: ``0100`` (parts 1 and 2, the persons), ``0200``
(part 1, the general contract data; part 2, the gross premium), possibly
further Satzarten we don't read (``0210``, ``0220``, ...), which are counted
and skipped. A contract is complete with its ``0200`` and the holder's
``0100`` (Adresskennzeichen ``01`` or blank); other persons are skipped.

Errors never stop the reading: each one is kept (file, line, field) and the
contract it belongs to is dropped, so a check run names every problem.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from operator import call, itemgetter, methodcaller
from typing import BinaryIO, Iterator

from bipro.core.portal_paths import unlinkable
from bipro.core.text_rules import has_forbidden_characters

from .layout import AMOUNT, DATE, ENCODING, KEY, LINE_LENGTH, NUMERIC, TEXT, Field, Layout
from .model import PAYMENT_FREQUENCY_CODES, SALUTATION_CODES, STATUS_CODES
from .records import ADDRESS_0100, ADDRESS_0100_PART2, CONTRACT_0200, CONTRACT_0200_PART2, HEADER_0001, TRAILER_9999

HOLDER_KINDS = frozenset({"", "01"})  # Adresskennzeichen of the Versicherungsnehmer
# Anrede 5 (Fräulein) and 6 (Vereinigung) exist in GDV but not in our code list.
SALUTATIONS = {**{code: code for code in SALUTATION_CODES}, 5: 2, 6: 3}

_READ = {("0001", 1): HEADER_0001, ("0100", 1): ADDRESS_0100, ("0100", 2): ADDRESS_0100_PART2,
         ("0200", 1): CONTRACT_0200, ("0200", 2): CONTRACT_0200_PART2, ("9999", 1): TRAILER_9999}

# German field names for error messages, as the GDV tables call them.
FIELD_NAMES = {
    "vu_number": "VU-Nummer", "sparte": "Sparte", "policy_number": "Versicherungsschein-Nummer",
    "sequence": "Folgenummer", "broker_number": "Geschäftsstelle/Vermittler",
    "salutation_code": "Anredeschlüssel", "last_name": "Name 1", "first_name": "Name 2",
    "country": "Länderkennzeichen", "postcode": "Postleitzahl", "town": "Ort", "street": "Straße",
    "birth_date": "Geburtsdatum", "address_kind": "Adresskennzeichen",
    "partner_number": "Kundennummer des Versicherers", "person_sequence": "Lfd. Personennummer",
    "start": "Vertragsbeginn", "end": "Vertragsablauf", "main_due_date": "Hauptfälligkeit",
    "payment_frequency_code": "Zahlungsweise", "status_code": "Vertragsstatus",
    "cancelled_on": "Abgangsdatum", "changed_on": "Änderungsdatum", "share_percent": "Anteil in %",
    "currency": "Währungsschlüssel", "net_premium": "Gesamtbeitrag (Netto)",
    "remaining_years": "Restlaufzeit", "term_discount": "Laufzeitrabatt", "applied_on": "Antragsdatum",
    "gross_premium": "Gesamtbeitrag (Brutto)", "record_count": "Anzahl der Sätze",
}


class GdvReadError(ValueError):
    """One problem in a GDV file, with where it is."""

    def __init__(self, file: str, line: int, field: str, message: str):
        super().__init__(f"{file}, Zeile {line}, Feld {field}: {message}")
        self.file, self.line, self.field, self.message = file, line, field, message


# Plain (not frozen) slotted classes: a frozen one costs a setattr call per
# field, two million times for a million contracts.
@dataclass(slots=True)
class ImportedPerson:
    partner_number: str
    salutation: int
    last_name: str
    first_name: str
    street: str
    postcode: str
    town: str
    country: str
    birth_date: date | None


@dataclass(slots=True)
class ImportedContract:
    """A contract as a GDV file states it; ``line`` is where its 0200 is."""

    line: int
    broker_number: str
    policy_number: str
    sparte: str                 # three digits, "040"
    status: int
    start: date
    end: date | None
    main_due_date: date | None
    payment_frequency: int
    net_premium: Decimal
    gross_premium: Decimal | None   # only when the file has a 0200 part 2 with one
    changed_on: date | None
    cancelled_on: date | None
    holder: ImportedPerson


@dataclass
class GdvHeaderData:
    vu_number: str = ""
    addressee: str = ""
    broker_number: str = ""


@dataclass(slots=True)
class _Group:
    """The lines of one contract seen so far."""

    key: tuple[str, str]
    first_line: int
    holder: dict | None = None
    holder_line: int = 0
    holder_part2: dict | None = None
    awaiting_part2: bool = False
    general: dict | None = None
    general_line: int = 0
    gross: Decimal | None = None
    failed: bool = False


@dataclass
class GdvReader:
    """Reads one file; iterate ``contracts()`` once, then look at the rest."""

    stream: BinaryIO
    name: str
    errors: list[GdvReadError] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)   # Satzart -> lines not read
    header: GdvHeaderData | None = None
    trailer_seen: bool = False
    line_count: int = 0
    bytes_read: int = 0

    def contracts(self) -> Iterator[ImportedContract]:
        group: _Group | None = None
        finish = self._finish
        for number, raw in enumerate(self.stream, 1):
            self.line_count = number
            self.bytes_read += len(raw)
            line = _decode(raw)
            # Only a line with a control character has its fields checked one
            # by one, so the error names the field (``isprintable`` is the
            # quick answer for nearly every line, the search the exact one).
            clean = line.isprintable() or _CONTROL_CHARACTER.search(line) is None
            if len(line) != LINE_LENGTH:
                self._error(number, "Satzlänge", f"{len(line)} statt {LINE_LENGTH} Zeichen")
                if group is not None:
                    group.failed = True
                continue
            kind, part = line[:4], line[255]
            if self.trailer_seen:
                self._error(number, "Satzart", f"Satz {kind} nach dem Nachsatz 9999")
                continue
            if kind in ("0100", "0200"):
                key = (line[10:13], line[13:30].strip())
                if group is None or group.key != key:
                    if group is not None and (contract := finish(group)) is not None:
                        yield contract
                    group = _Group(key, number)
                self._add(group, number, kind, part, line, clean)
            elif kind == "0001" and part == "1":
                values = self._parse(number, HEADER_0001, line)
                if values is not None:
                    self.header = GdvHeaderData(values["vu_number"], values["addressee"],
                                                values["broker_number"])
            elif kind == "9999":
                if group is not None and (contract := finish(group)) is not None:
                    yield contract
                group = None
                self.trailer_seen = True
            elif kind.isdigit():
                self.skipped[kind if kind != "0001" else "0001.%s" % part] += 1
            else:
                self._error(number, "Satzart", f"{kind!r} ist keine Satzart")
        if group is not None and (contract := finish(group)) is not None:
            yield contract
        if not self.trailer_seen:
            self._error(self.line_count, "Satzart",
                        "der Nachsatz 9999 fehlt (Datei unvollständig?)")

    def _add(self, group: _Group, number: int, kind: str, part: str, line: str, clean: bool) -> None:
        layout = _READ_BY_KIND.get(kind + part)
        if layout is None:
            self.skipped[f"{kind}.{part}"] += 1
            return
        try:
            values = _FAST[layout](line) if clean else self._parse(number, layout, line)
        except ValueError:
            values = self._parse(number, layout, line)  # names the field
        if values is None:
            group.failed = True
            return
        if layout is ADDRESS_0100:
            group.awaiting_part2 = False
            if group.holder is None and values["address_kind"] in HOLDER_KINDS:
                group.holder, group.holder_line, group.awaiting_part2 = values, number, True
            else:
                self.skipped["0100 (weitere Person)"] += 1
        elif layout is ADDRESS_0100_PART2:
            if group.awaiting_part2:
                group.holder_part2 = values
                group.awaiting_part2 = False
        elif layout is CONTRACT_0200:
            if group.general is not None:
                self._error(number, "Satzart", f"zweiter Satz 0200 für Vertrag {group.key[1]}")
                group.failed = True
            group.general, group.general_line = values, number
        elif layout is CONTRACT_0200_PART2:
            group.gross = values["gross_premium"] or None

    def _finish(self, group: _Group) -> ImportedContract | None:
        if group.failed:
            return None
        if group.general is None:
            self._error(group.first_line, "Satzart", f"Vertrag {group.key[1]} ohne Satz 0200")
            return None
        if group.holder is None:
            self._error(group.general_line, "Satzart",
                        f"Vertrag {group.key[1]} ohne Versicherungsnehmer (Satz 0100)")
            return None
        partner = (group.holder_part2 or {}).get("partner_number", "")
        problem = _number_problem(partner) if partner else "fehlt (Satz 0100, Teil 2)"
        if problem:
            self._error(group.holder_line + 1 if group.holder_part2 else group.holder_line,
                        FIELD_NAMES["partner_number"], problem)
            return None
        g, h = group.general, group.holder
        problem = _check_contract(g) or _check_person(h)
        if problem:
            name, message = problem
            line = group.holder_line if name in h and name not in g else group.general_line
            self._error(line, FIELD_NAMES.get(name, name), message)
            return None
        return ImportedContract(
            line=group.general_line, broker_number=g["broker_number"],
            policy_number=g["policy_number"], sparte="%03d" % g["sparte"],
            status=g["status_code"], start=g["start"], end=g["end"],
            main_due_date=g["main_due_date"],
            payment_frequency=g["payment_frequency_code"] or 1,
            net_premium=g["net_premium"] or Decimal("0.00"), gross_premium=group.gross,
            changed_on=g["changed_on"], cancelled_on=g["cancelled_on"],
            holder=ImportedPerson(
                partner_number=partner, salutation=SALUTATIONS[h["salutation_code"] or 0],
                last_name=h["last_name"], first_name=h["first_name"], street=h["street"],
                postcode=h["postcode"], town=h["town"], country=h["country"] or "D",
                birth_date=h["birth_date"]))

    def _parse(self, number: int, layout: Layout, line: str) -> dict | None:
        """The fields we use of one line, one by one, so an error names its field.

        Fields we don't use are not looked at. A clean line (no control
        character) is cut and converted in one go instead (``_FAST``); only
        when that fails, or the line has a control character, comes this.
        """
        values = {}
        for name, begin, end, convert in _FIELDS_READ[layout]:
            raw = line[begin:end]
            try:
                values[name] = convert(raw)
            except ValueError:
                self._error(number, FIELD_NAMES.get(name, name),
                            f"{raw!r} ist kein gültiger Wert (Spalten {begin + 1}-{end})")
                return None
        return values

    def _error(self, line: int, field_name: str, message: str) -> None:
        self.errors.append(GdvReadError(self.name, line, field_name, message))


def _check_contract(g: dict) -> tuple[str, str] | None:
    if not g["policy_number"]:
        return "policy_number", "fehlt"
    if problem := _number_problem(g["policy_number"]):
        return "policy_number", problem
    if not g["broker_number"]:
        return "broker_number", "fehlt"
    if g["sparte"] is None:
        return "sparte", "fehlt"
    if g["status_code"] not in STATUS_CODES:
        return "status_code", f"{g['status_code']!r} ist kein Vertragsstatus"
    if g["payment_frequency_code"] not in PAYMENT_FREQUENCY_CODES | {None}:
        return "payment_frequency_code", f"{g['payment_frequency_code']} ist keine Zahlungsweise"
    if g["start"] is None:
        return "start", "fehlt"
    if g["currency"] not in ("", "EUR"):
        return "currency", f"{g['currency']} wird nicht unterstützt (nur EUR)"
    return None


def _number_problem(number: str) -> str | None:
    """A customer or policy number must lead to its own page in the portal."""
    problem = unlinkable(number)
    return f"{number!r} {problem}" if problem else None


def _check_person(h: dict) -> tuple[str, str] | None:
    if (h["salutation_code"] or 0) not in SALUTATIONS:
        return "salutation_code", f"{h['salutation_code']} ist kein Anredeschlüssel"
    if not h["last_name"]:
        return "last_name", "fehlt"
    return None


def _decode(raw: bytes) -> str:
    if raw.endswith(b"\n"):
        raw = raw[:-2] if raw.endswith(b"\r\n") else raw[:-1]
    return raw.decode(ENCODING)


def _text(raw: str) -> str:
    return _printable(raw).rstrip(" ")


def _key(raw: str) -> str:
    return _printable(raw).strip(" ")


def _printable(raw: str) -> str:
    """The field as is; a control character (a NUL byte, say) makes it no valid value."""
    if has_forbidden_characters(raw):
        raise ValueError(raw)
    return raw


def _numeric(raw: str) -> int | None:
    if raw.isdigit():
        return int(raw)  # ValueError for Latin-1 digits such as "²"
    if raw.strip(" "):
        raise ValueError(raw)
    return None  # blank: no value, as zeros


def _amount(raw: str) -> Decimal | None:
    cents = _numeric(raw)
    return None if cents is None else Decimal(cents).scaleb(-2)


_DATES: dict[str, date | None] = {}
_DATES_KEPT = 20_000  # dates repeat (birthdays, first of the month): a bounded cache


def _date(raw: str) -> date | None:
    try:
        return _DATES[raw]
    except KeyError:
        pass
    if raw == "00000000" or not raw.strip(" "):
        value = None
    elif raw.isascii() and raw.isdigit():
        value = date(int(raw[4:]), int(raw[2:4]) or 1, int(raw[:2]) or 1)  # ValueError for 31.02.
    else:
        raise ValueError(raw)
    if len(_DATES) < _DATES_KEPT:
        _DATES[raw] = value
    return value


_CONVERT = {TEXT: _text, KEY: _key, NUMERIC: _numeric, AMOUNT: _amount, DATE: _date}

# ``text_rules``' refused characters as they occur in ISO-8859-1 (C0 and C1
# controls, DEL, the soft hyphen), taken from the rule itself: the writer
# folds every one of them away by the same rule.
_CONTROL_CHARACTER = re.compile("[%s]" % "".join(
    re.escape(chr(code)) for code in range(256) if has_forbidden_characters(chr(code))))
# A line without any of them: text and key fields need no check of their own.
_CONVERT_CLEAN = {**_CONVERT, TEXT: methodcaller("rstrip", " "), KEY: methodcaller("strip", " ")}

# The fields of each layout the import uses.
_USED = {
    HEADER_0001: ("vu_number", "addressee", "broker_number"),
    ADDRESS_0100: ("salutation_code", "last_name", "first_name", "country", "postcode", "town", "street",
                   "birth_date", "address_kind"),
    ADDRESS_0100_PART2: ("partner_number",),
    CONTRACT_0200: ("broker_number", "policy_number", "sparte", "start", "end", "main_due_date",
                    "payment_frequency_code", "status_code", "cancelled_on", "changed_on", "currency",
                    "net_premium"),
    CONTRACT_0200_PART2: ("gross_premium",),
    TRAILER_9999: (),
}


def _compile(layout: Layout, names: tuple[str, ...]) -> tuple:
    fields: dict[str, Field] = {f.name: f for f in layout.fields}
    return tuple((name, fields[name].start - 1, fields[name].end, _CONVERT[fields[name].kind])
                 for name in names)


class _FastParser:
    """All used fields of a clean line: cut by one ``itemgetter``, converted by one ``map``."""

    def __init__(self, layout: Layout, names: tuple[str, ...]):
        fields: dict[str, Field] = {f.name: f for f in layout.fields}
        self.names = names
        self.converts = tuple(_CONVERT_CLEAN[fields[name].kind] for name in names)
        cuts = [slice(fields[name].start - 1, fields[name].end) for name in names]
        cut = itemgetter(*cuts) if cuts else (lambda line: ())
        self.cut = cut if len(cuts) != 1 else (lambda line: (cut(line),))

    def __call__(self, line: str) -> dict:
        return dict(zip(self.names, map(call, self.converts, self.cut(line))))


_FIELDS_READ = {layout: _compile(layout, names) for layout, names in _USED.items()}
_FAST = {layout: _FastParser(layout, names) for layout, names in _USED.items()}
_READ_BY_KIND = {kind + str(part): layout for (kind, part), layout in _READ.items()}


def open_gdv(path) -> BinaryIO:
    """The file opened for ``GdvReader``: binary, buffered for line iteration."""
    return open(path, "rb", buffering=1024 * 1024)
