"""The BiPRO code lists this gateway sends and accepts: the one definition.

Our XSDs carry these lists as enumerations of the named types below; they
are written from here (``python -m bipro.soap.code_lists``) and a test checks
that every enumeration in ``schemas/`` and these lists agree. The codes are
the official values (``bipro-types.md``); a code we never send may be left
out, a code outside the official list must never be added. The lists the
portfolio holds (Anrede, Vertragsstatus, Zahlungsweise, Sparte) come from
``store.code_lists``, their one definition; the rest are wire-only.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from bipro.soap.namespaces import ALLG, DAT, NAC, PART
from bipro.soap.service import SCHEMA_DIR
from store import code_lists as portfolio_codes


@dataclass(frozen=True)
class CodeList:
    """One enumerated type of our XSDs: its file, type name and codes with their meaning."""

    schema: str  # the XSD document that defines the type
    namespace: str
    type_name: str
    codes: dict[str, str]  # code -> meaning, in the order of the schema

    def __contains__(self, code: object) -> bool:
        return code in self.codes


def _portfolio(codes: portfolio_codes.CodeList) -> dict[str, str]:
    """A portfolio code list with its codes as they are written on the wire."""
    return {str(code): name for code, name in codes.names.items()}


ANREDE = CodeList("partner.xsd", PART, "ST_Anredeschluessel", _portfolio(portfolio_codes.ANREDE))

KOMMUNIKATIONSTYP = CodeList("partner.xsd", PART, "ST_Kommunikationstyp", {
    "10": "Telefon privat", "20": "Telefon geschäftlich", "30": "Mobiltelefon",
    "31": "Mobiltelefon privat", "32": "Mobiltelefon geschäftlich", "40": "Telefax",
    "41": "Telefax privat", "42": "Telefax geschäftlich", "50": "E-Mail", "51": "E-Mail privat",
    "52": "E-Mail geschäftlich", "60": "Internet", "61": "Internet privat", "62": "Internet geschäftlich",
})

ANSCHRIFTART = CodeList("partner.xsd", PART, "ST_Anschriftart", {
    "1": "Hausanschrift", "2": "Postfach", "3": "Großkundenanschrift",
})

ADRESSTYP = CodeList("partner.xsd", PART, "ST_Adresstyp", {
    "privat": "privat", "geschaeftlich": "geschäftlich",
})

# dt: shared by the contract and the product model.
VERTRAGSSTATUS = CodeList("datentypen.xsd", DAT, "ST_Vertragsstatus", _portfolio(portfolio_codes.VERTRAGSSTATUS))

ZAHLUNGSWEISE = CodeList("datentypen.xsd", DAT, "ST_Zahlungsweise", _portfolio(portfolio_codes.ZAHLUNGSWEISE))

SPARTE = CodeList("datentypen.xsd", DAT, "ST_Sparte", _portfolio(portfolio_codes.SPARTE))

# International vehicle registration codes (not ISO): the official allg:Land.
LAND = CodeList("datentypen.xsd", DAT, "ST_Land", {
    "D": "Deutschland", "A": "Österreich", "CH": "Schweiz", "F": "Frankreich", "NL": "Niederlande",
    "B": "Belgien", "L": "Luxemburg", "DK": "Dänemark", "PL": "Polen", "CZ": "Tschechien",
    "I": "Italien", "E": "Spanien", "P": "Portugal", "GB": "Vereinigtes Königreich", "FL": "Liechtenstein",
    "S": "Schweden", "N": "Norwegen", "FIN": "Finnland", "GR": "Griechenland", "H": "Ungarn",
    "TR": "Türkei", "HR": "Kroatien", "SK": "Slowakei", "SLO": "Slowenien", "RO": "Rumänien",
    "IRL": "Irland", "USA": "Vereinigte Staaten",
})

WAEHRUNG = CodeList("datentypen.xsd", DAT, "ST_Waehrung", {"EUR": "Euro"})

BEITRAGSART = CodeList("datentypen.xsd", DAT, "STE_BeitragBasis", {
    "01": "Beitrag inklusive Steuer", "02": "Nettobeitrag",
    "08": "Jahrestarifbeitrag inklusive Versicherungsteuer",
})

# allg: the files of the Transfer service.
DATEITYP = CodeList("allgemein.xsd", ALLG, "ST_Dateityp", {"Dokument": "Dokument", "Nettodaten": "Nettodaten"})

KOMPRIMIERUNGSTYP = CodeList("allgemein.xsd", ALLG, "ST_Komprimierungstyp", {
    "KEINE": "nicht komprimiert", "ZIP": "ZIP",
})

PRUEFSUMMENTYP = CodeList("allgemein.xsd", ALLG, "ST_Pruefsummentyp", {"MD5": "MD5", "SHA1": "SHA-1"})

DOKUMENTART = CodeList("allgemein.xsd", ALLG, "ST_DokumentartID", {
    "Police": "Police", "Nachtrag": "Nachtrag", "Rechnung": "Rechnung", "Anschreiben": "Anschreiben",
    "Abrechnung": "Abrechnung", "Antrag": "Antrag", "Schadenmeldung": "Schadenmeldung",
    "Schadenerledigung": "Schadenerledigung", "Versicherungsbestaetigung": "Versicherungsbestätigung",
    "Erinnerung": "Erinnerung", "Zweitschrift": "Zweitschrift", "SonstigesDokument": "sonstiges Dokument",
})

# nac: the message frame.
STATUS_ID = CodeList("nachrichten.xsd", NAC, "ST_StatusID", {"OK": "in Ordnung", "NOK": "nicht in Ordnung"})

ART_DER_MELDUNG = CodeList("nachrichten.xsd", NAC, "ST_ArtDerMeldung", {
    "Fehler": "Fehler", "Warnung": "Warnung", "Hinweis": "Hinweis",
})

ALL = (ANREDE, KOMMUNIKATIONSTYP, ANSCHRIFTART, ADRESSTYP, VERTRAGSSTATUS, ZAHLUNGSWEISE, SPARTE, LAND,
       WAEHRUNG, BEITRAGSART, DATEITYP, KOMPRIMIERUNGSTYP, PRUEFSUMMENTYP, DOKUMENTART, STATUS_ID,
       ART_DER_MELDUNG)

# Documents whose every enumeration must come from ALL.
SCHEMAS = tuple(sorted({code_list.schema for code_list in ALL} | {"vertrag.xsd", "produktmodell.xsd",
                                                                   "gevo.xsd", "transfer.xsd"}))

# Country codes as ISO 3166 (alpha-2 and alpha-3) that the portfolio may hold, to the vehicle code.
_ISO_TO_VEHICLE = {
    "DE": "D", "DEU": "D", "AT": "A", "AUT": "A", "CHE": "CH", "FR": "F", "FRA": "F", "NLD": "NL",
    "BE": "B", "BEL": "B", "LU": "L", "LUX": "L", "DNK": "DK", "POL": "PL", "CZE": "CZ", "IT": "I",
    "ITA": "I", "ES": "E", "ESP": "E", "PT": "P", "PRT": "P", "GBR": "GB", "UK": "GB", "LI": "FL",
    "LIE": "FL", "SE": "S", "SWE": "S", "NO": "N", "NOR": "N", "FI": "FIN", "GRC": "GR", "HU": "H",
    "HUN": "H", "TUR": "TR", "HRV": "HR", "SVK": "SK", "SI": "SLO", "SVN": "SLO", "ROU": "RO",
    "IE": "IRL", "US": "USA",
}


def vehicle_country_code(stored: str) -> str | None:
    """The allg:Land code for a stored country ("D", "DE", "deu" -> "D"); None when unknown."""
    value = (stored or "").strip().upper()
    if value in LAND:
        return value
    return _ISO_TO_VEHICLE.get(value)


def render(code_list: CodeList, indent: str) -> str:
    """The enumeration facets of *code_list*, each on its own line behind *indent*."""
    return "".join(f"\n{indent}<xsd:enumeration value=\"{code}\"/>"
                   + (f"<!-- {meaning} -->" if meaning != code else "")
                   for code, meaning in code_list.codes.items())


def _type_pattern(type_name: str) -> re.Pattern:
    # The restriction inside the named simple type (or simple-content complex type).
    return re.compile(
        rf'(<xsd:(?:simpleType|complexType) name="{re.escape(type_name)}"(?: [^>]*)?>'
        rf'(?:(?!</xsd:(?:simpleType|complexType)>).)*?<xsd:restriction base="[^"]*">)'
        rf'(.*?)(\n(\s*)</xsd:restriction>)', re.DOTALL)


def write_enumerations(text: str, code_lists) -> str:
    """*text* with the enumeration facets of every type in *code_lists* rewritten from them."""
    for code_list in code_lists:
        pattern = _type_pattern(code_list.type_name)
        match = pattern.search(text)
        if match is None:
            raise LookupError(f"{code_list.schema}: type {code_list.type_name} not found")
        indent = match.group(4) + "  "
        facets = re.sub(r"\s*<xsd:enumeration [^>]*/>(<!--.*?-->)?", "", match.group(2))
        text = text[:match.start(2)] + facets + render(code_list, indent) + text[match.end(2):]
    return text


def regenerate(schema_dir: Path = SCHEMA_DIR) -> list[str]:
    """Rewrite the enumerations in our XSDs from ALL; returns the documents that changed."""
    changed = []
    for name in sorted({code_list.schema for code_list in ALL}):
        path = schema_dir / name
        old = path.read_text(encoding="utf-8")
        new = write_enumerations(old, [c for c in ALL if c.schema == name])
        if new != old:
            path.write_text(new, encoding="utf-8")
            changed.append(name)
    return changed


if __name__ == "__main__":  # python -m bipro.soap.code_lists
    for name in regenerate():
        print(f"rewritten: schemas/{name}", file=sys.stdout)
