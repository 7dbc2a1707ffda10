"""Control and invisible characters are refused in every free text, with one German message."""

from __future__ import annotations

import pytest

from bipro.core.errors import ValidationFailed
from bipro.core.identity.accounts import create_user
from bipro.core.portfolio import contact_rules
from bipro.core.text_rules import FORBIDDEN_CHARACTERS, forbidden_character
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
