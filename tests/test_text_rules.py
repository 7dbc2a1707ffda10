"""Control and invisible characters are refused in every free text, with one German message."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bipro.core.errors import ValidationFailed
from bipro.core.identity.accounts import create_user
from bipro.core.portfolio import contact_rules
from bipro.core.text_rules import FORBIDDEN_CHARACTERS, fold_text, forbidden_character
from store.models import User
from tests.support.callers import STAFF

REFUSED = ["\x00", "\x07", "\x1f", "\x7f", "\x85", "\x9b", "\u200b", "\u200d", "\u200e", "\u202e",
           "\u2066", "\u2069", "\u2028", "\u2029", "\ufeff", "\u00ad", "\ue000", "\U000e0001"]
ACCEPTED = ["Müller-Lüdenscheidt", "Straße 12a", "Zoë Ørsted", "İstanbul", "Ελλάδα", "O'Neill",
            "Dr. med.", "Aßmann & Söhne", "\u00a0"]


@pytest.mark.parametrize("character", REFUSED)
def test_control_and_invisible_characters_are_found(character):
    assert forbidden_character(f"Bo{character}chum") == f"U+{ord(character):04X}"


@pytest.mark.parametrize("text", ACCEPTED)
def test_names_of_any_language_pass(text):
    assert forbidden_character(text) is None


@pytest.mark.parametrize("character", REFUSED)
def test_the_contact_rules_refuse_them_and_fold_ordinary_whitespace(character):
    with pytest.raises(ValidationFailed) as refused:
        contact_rules.clean_contact({"town": f"Bo{character}chum", "street": "Hauptstr. 1"})
    assert [(p.field, p.message) for p in refused.value.problems] == [("town", FORBIDDEN_CHARACTERS)]
    assert contact_rules.clean_contact({"town": " Bo\tchum\r\n Mitte "}) == {"town": "Bo chum Mitte"}


def test_a_new_user_with_an_invisible_character_in_the_name_is_refused(gateway):
    with gateway.db.session() as session:
        with pytest.raises(ValidationFailed) as refused:
            create_user(session, gateway.identity_policy, "100100", "Max\u202eMustermann", "max@makler.example",
                        by=STAFF)
        assert refused.value.problems[0].message == FORBIDDEN_CHARACTERS
        assert session.query(User).filter(User.full_name.like("Max%Mustermann")).count() == 0


def test_the_contact_rules_keep_text_composed():
    assert contact_rules.clean_contact({"street": "Mu\u0308hlenweg 3", "town": "Gie\u00dfen"}) == {
        "street": "Mühlenweg 3", "town": "Gießen"}


@pytest.mark.parametrize("text, latin1, windows1252", [
    ("Mu\u0308hlenweg 3", "Mühlenweg 3", "Mühlenweg 3"),      # decomposed umlaut: composed first
    ("O\ufb00enbach", "Offenbach", "Offenbach"),               # ligature ff: both letters
    ("\ufb01ne", "fine", "fine"),
    ("Ludwig \u2167", "Ludwig VIII", "Ludwig VIII"),            # roman numeral eight
    ("½⅓", "½1/3", "½1/3"),                                     # ½ is Latin-1, ⅓ is not
    ("Dvořák Łukasz", "Dvorák Lukasz", "Dvorák Lukasz"),
    ("„Zitat“ – …", '"Zitat" - ...', "„Zitat“ – …"),            # Windows-1252 has these
    ("5 €", "5 ?", "5 €"),
    ("Makler\u00adbüro", "Maklerbüro", "Maklerbüro"),          # invisible: vanish
    ("Bo\u200bchum\u202e", "Bochum", "Bochum"),
    ("Zeile\nUmbruch\tTab\u2028x", "Zeile Umbruch Tab x", "Zeile Umbruch Tab x"),
    ("日本😀\ue000", "????", "????"),
])
def test_text_is_folded_onto_a_narrower_character_set_by_one_rule(text, latin1, windows1252):
    assert fold_text(text, "latin-1") == latin1
    assert fold_text(text, "windows-1252") == windows1252


@given(st.text())
def test_folded_text_always_fits_and_holds_nothing_the_input_rule_refuses(text):
    for encoding in ("latin-1", "windows-1252"):
        folded = fold_text(text, encoding)
        folded.encode(encoding)
        assert forbidden_character(folded) is None
