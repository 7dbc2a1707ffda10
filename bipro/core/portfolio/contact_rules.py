"""The rules for a customer's address and contact data, with German messages.

``clean_contact`` trims every value (and folds runs of blanks into one),
composes it (NFC), checks each field and returns the cleaned values, or raises
``ValidationFailed`` listing every problem at once so the form can show them all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bipro.core.errors import Problem, ValidationFailed
from bipro.core.mail import is_mail_address
from bipro.core.portfolio.addresses import split_house_number
from bipro.core.text_rules import FORBIDDEN_CHARACTERS, composed, has_forbidden_characters

# The fields an edit may change, in the order the form shows them.
CONTACT_FIELDS = ("title", "street", "postcode", "town", "email", "phone")

# BiPRO sends e-mail and phone as partner:Kommunikationsadresse, which holds
# at most 60 characters (ST_Kommunikationsadresse): a longer address would
# break every 501/502/480 answer that carries it, and a cut one is wrong.
KOMMUNIKATIONSADRESSE = 60
# The longest value of each field: the column of the customers table, or
# less where BiPRO allows less (e-mail: the column holds 120).
MAX_LENGTH = {"title": 40, "street": 80, "postcode": 5, "town": 60,
              "email": KOMMUNIKATIONSADRESSE, "phone": 40}

REQUIRED = {
    "street": "Bitte geben Sie Straße und Hausnummer an.",
    "postcode": "Bitte geben Sie die PLZ an.",
    "town": "Bitte geben Sie den Ort an.",
}
TOO_LONG = {
    "title": f"Der Titel darf höchstens {MAX_LENGTH['title']} Zeichen lang sein.",
    "street": f"Straße und Hausnummer dürfen höchstens {MAX_LENGTH['street']} Zeichen lang sein.",
    "town": f"Der Ort darf höchstens {MAX_LENGTH['town']} Zeichen lang sein.",
    "email": f"Die E-Mail-Adresse darf höchstens {MAX_LENGTH['email']} Zeichen lang sein.",
    "phone": f"Die Telefonnummer darf höchstens {MAX_LENGTH['phone']} Zeichen lang sein.",
}
CONTROL_CHARACTERS = FORBIDDEN_CHARACTERS
NO_HOUSE_NUMBER = "Bitte geben Sie die Hausnummer mit an (z. B. Hauptstraße 12)."
POSTCODE_DIGITS = "Die PLZ muss aus genau fünf Ziffern bestehen."
TOWN_LETTERS = "Der Ort muss Buchstaben enthalten."
EMAIL_FORMAT = "Bitte geben Sie genau eine gültige E-Mail-Adresse an (z. B. name@beispiel.de)."
PHONE_CHARACTERS = ("Die Telefonnummer darf nur Ziffern, Leerzeichen und die Zeichen "
                    "+ / - ( ) enthalten; ein + nur am Anfang.")
PHONE_DIGITS = "Die Telefonnummer muss mindestens fünf Ziffern enthalten."
TITLE_CHARACTERS = "Der Titel darf nur Buchstaben, Punkte, Bindestriche und Leerzeichen enthalten."

# Whitespace a form field may carry: blanks, tabs, line breaks (not the rarer controls).
_BLANKS = re.compile(r"[^\S\x0b\x0c\x1c-\x1f\x85\u2028\u2029]+")
_POSTCODE = re.compile(r"[0-9]{5}")
_PHONE = re.compile(r"\+?[0-9 /()\-]+")
_TITLE = re.compile(r"[^\W\d_](?:[^\W\d_]|[ .\-])*")


def clean_contact(values: Mapping[str, object]) -> dict[str, str]:
    """The trimmed values of *values*; ValidationFailed when any breaks a rule."""
    unknown = set(values) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    cleaned: dict[str, str] = {}
    problems: list[Problem] = []
    for field in CONTACT_FIELDS:
        if field not in values:
            continue
        raw = "" if values[field] is None else str(values[field])
        # Tabs, line breaks and runs of blanks become one blank; other control
        # and invisible characters (vertical tab, NEL, U+2028 ...) are refused below.
        value = composed(_BLANKS.sub(" ", raw).strip())
        cleaned[field] = value
        message = _check(field, value)
        if message:
            problems.append(Problem(field, message))
    if problems:
        raise ValidationFailed(problems)
    return cleaned


def _check(field: str, value: str) -> str | None:
    """The first rule *value* breaks, or None."""
    if not value:
        return REQUIRED.get(field)
    if has_forbidden_characters(value):
        return CONTROL_CHARACTERS
    if field == "postcode":
        return None if _POSTCODE.fullmatch(value) else POSTCODE_DIGITS
    if len(value) > MAX_LENGTH[field]:
        return TOO_LONG[field]
    if field == "street" and not split_house_number(value)[1]:
        return NO_HOUSE_NUMBER
    if field == "town" and not any(c.isalpha() for c in value):
        return TOWN_LETTERS
    if field == "email" and not is_mail_address(value):
        return EMAIL_FORMAT
    if field == "phone":
        if not _PHONE.fullmatch(value):
            return PHONE_CHARACTERS
        if sum(c.isdigit() for c in value) < 5:
            return PHONE_DIGITS
    if field == "title" and not _TITLE.fullmatch(value):
        return TITLE_CHARACTERS
    return None
