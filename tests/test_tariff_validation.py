"""Validation of risk answers and parsing of string inputs."""
from datetime import date
from decimal import Decimal

import pytest

from bipro.core.tariff import QuestionType, RiskDataInvalid, get_product, quote, validate
from bipro.core.tariff.parsing import InvalidAnswer, parse

ON = date(2025, 6, 1)
HAUSRAT_OK = {"living_area": "80", "postcode": "10115"}


def problems_of(product_id, answers):
    return [(p.field, p.code, p.message)
            for p in validate(product_id, answers, on=ON)]


def test_valid_answers_have_no_problems():
    assert validate("HR-KOMFORT", HAUSRAT_OK, on=ON) == []


def test_missing_answers_are_all_reported():
    assert problems_of("UNF-AKTIV", {}) == [
        ("disability_sum", "missing", "Invaliditätsgrundsumme fehlt"),
        ("occupation_class", "missing", "Gefahrengruppe fehlt"),
        ("birth_date", "missing", "Geburtsdatum der versicherten Person fehlt"),
    ]


def test_blank_strings_count_as_missing():
    assert problems_of("HR-KOMFORT", {"living_area": " ", "postcode": ""}) == [
        ("living_area", "missing", "Wohnfläche fehlt"),
        ("postcode", "missing", "Postleitzahl fehlt"),
    ]


@pytest.mark.parametrize("product_id, answers, expected", [
    # wrong type, per question type
    ("HR-KOMFORT", {**HAUSRAT_OK, "living_area": "groß"},
     ("living_area", "type", "Wohnfläche muss eine Zahl sein")),
    ("UNF-AKTIV", {"disability_sum": "100000,5", "occupation_class": "A",
                   "birth_date": "1990-01-01"},
     ("disability_sum", "type", "Invaliditätsgrundsumme muss eine ganze Zahl sein")),
    ("HR-KOMFORT", {**HAUSRAT_OK, "glass": "vielleicht"},
     ("glass", "type", "Glasversicherung muss ja oder nein sein")),
    ("PHV-KLASSIK", {"family_status": "single", "birth_date": "31.02.1990"},
     ("birth_date", "type", "Geburtsdatum des Versicherungsnehmers muss ein "
                            "gültiges Datum sein (TT.MM.JJJJ)")),
    # range and step
    ("HR-KOMFORT", {**HAUSRAT_OK, "living_area": "5"},
     ("living_area", "range", "Wohnfläche muss zwischen 10 und 1.000 m² liegen")),
    ("HR-KOMFORT", {**HAUSRAT_OK, "living_area": "1000,01"},
     ("living_area", "range", "Wohnfläche muss zwischen 10 und 1.000 m² liegen")),
    ("UNF-AKTIV", {"disability_sum": 600000, "occupation_class": "A",
                   "birth_date": "1990-01-01"},
     ("disability_sum", "range", "Invaliditätsgrundsumme muss zwischen "
                                 "25.000 und 500.000 € liegen")),
    ("UNF-AKTIV", {"disability_sum": 101000, "occupation_class": "A",
                   "birth_date": "1990-01-01"},
     ("disability_sum", "step", "Invaliditätsgrundsumme muss ein Vielfaches "
                                "von 5.000 € sein")),
    # not an allowed value
    ("HR-KOMFORT", {**HAUSRAT_OK, "deductible": "200"},
     ("deductible", "choice", "Selbstbeteiligung muss einer der Werte "
                              "0 €, 150 €, 300 €, 500 € sein")),
    ("PHV-KLASSIK", {"family_status": "Single", "birth_date": "1990-01-01"},
     ("family_status", "choice", "Familienstand muss einer der Werte "
                                 "Single, Paar, Familie sein")),
    # text pattern
    ("HR-KOMFORT", {"living_area": 80, "postcode": "1011"},
     ("postcode", "format", "Postleitzahl muss aus fünf Ziffern bestehen")),
    # derived values out of range, reported on the input question
    ("PHV-KLASSIK", {"family_status": "single", "birth_date": "02.06.2007"},
     ("birth_date", "range", "Versicherungsnehmer muss volljährig sein")),
    ("UNF-AKTIV", {"disability_sum": 50000, "occupation_class": "A",
                   "birth_date": "1949-06-01"},
     ("birth_date", "range", "Die versicherte Person muss zwischen 18 und 75 "
                             "Jahre alt sein")),
    ("WG-KOMPAKT", {"living_area": 120, "construction_year": 2026,
                    "postcode": "01067"},
     ("construction_year", "range", "Baujahr darf nicht in der Zukunft liegen")),
    # a number without a unit is a year or a count: no thousands separator
    ("WG-KOMPAKT", {"living_area": 120, "construction_year": 1700, "postcode": "01067"},
     ("construction_year", "range", "Baujahr muss zwischen 1800 und 2100 liegen")),
    # cross-field rules
    ("RS-BAUSTEIN", {"deductible": "150"},
     ("private", "combination", "Bitte mindestens einen Baustein wählen "
                                "(Privat, Beruf, Verkehr oder Wohnen)")),
    ("RS-BAUSTEIN", {"job": True, "traffic": True},
     ("job", "combination", "Beruf ist nur zusammen mit Privat versicherbar")),
    # an answer to a question the product does not ask
    ("HR-KOMFORT", {**HAUSRAT_OK, "pets": "ja"},
     ("pets", "unknown", "Unbekannte Angabe „pets“")),
])
def test_each_kind_of_invalid_answer(product_id, answers, expected):
    assert problems_of(product_id, answers) == [expected]


def test_several_problems_at_once():
    answers = {"living_area": 80, "construction_year": "neu",
               "postcode": "ABCDE", "natural_hazards": "maybe",
               "deductible": 250}
    assert [(name, code) for name, code, _ in
            problems_of("WG-KOMPAKT", answers)] == [
        ("construction_year", "type"), ("postcode", "format"),
        ("natural_hazards", "type"), ("deductible", "choice")]


def test_quote_raises_with_all_problems():
    with pytest.raises(RiskDataInvalid) as info:
        quote("PHV-KLASSIK", {"sum_insured": "1"}, on=ON)
    error = info.value
    assert [p.field for p in error.problems] == [
        "family_status", "sum_insured", "birth_date"]
    assert error.messages_by_name()["family_status"] == ["Familienstand fehlt"]
    assert "Familienstand fehlt" in str(error)


def test_one_mistake_is_reported_once():
    # An invalid birth date must not also produce an age problem.
    assert [name for name, _, _ in problems_of(
        "UNF-AKTIV", {"disability_sum": 50000, "occupation_class": "A",
                      "birth_date": "gestern"})] == ["birth_date"]


def test_cross_field_rule_waits_for_valid_answers():
    # "job" is invalid itself, so the requires-rule is not checked on top.
    assert [code for _, code, _ in problems_of(
        "RS-BAUSTEIN", {"job": "x", "traffic": True})] == ["type"]


# -- parsing of string inputs ------------------------------------------------

def _q(product_id, name):
    return get_product(product_id, on=ON).question(name)


@pytest.mark.parametrize("raw, expected", [
    ("72,5", Decimal("72.5")), ("72.5", Decimal("72.5")),
    (" 80 ", Decimal("80")), ("1.234,5", Decimal("1234.5")),
    (80, Decimal("80")), (72.5, Decimal("72.5")), (Decimal("9.99"), Decimal("9.99")),
])
def test_decimal_parsing(raw, expected):
    assert parse(_q("HR-KOMFORT", "living_area"), raw) == expected


@pytest.mark.parametrize("raw", ["72,5,1", "1.2.3", "abc", "NaN", "",
                                 True, Decimal("Infinity"), [80]])
def test_decimal_parsing_rejects(raw):
    with pytest.raises(InvalidAnswer):
        parse(_q("HR-KOMFORT", "living_area"), raw)


@pytest.mark.parametrize("raw, expected", [
    ("100000", 100000), ("100.000", 100000), (" 50000 ", 50000),
    (Decimal("75000"), 75000),
])
def test_integer_parsing(raw, expected):
    assert parse(_q("UNF-AKTIV", "disability_sum"), raw) == expected


@pytest.mark.parametrize("raw", ["100000,5", "1.00", "zehn", True, 1.5])
def test_integer_parsing_rejects(raw):
    with pytest.raises(InvalidAnswer):
        parse(_q("UNF-AKTIV", "disability_sum"), raw)


@pytest.mark.parametrize("raw, expected", [
    ("true", True), ("false", False), ("1", True), ("0", False),
    ("ja", True), ("Nein", False), ("JA", True), (True, True), (0, False),
    ("on", True),
])
def test_boolean_parsing(raw, expected):
    assert parse(_q("HR-KOMFORT", "glass"), raw) is expected


@pytest.mark.parametrize("raw, expected", [
    ("1990-03-15", date(1990, 3, 15)), ("15.03.1990", date(1990, 3, 15)),
    ("5.3.1990", date(1990, 3, 5)), (date(1990, 3, 15), date(1990, 3, 15)),
])
def test_date_parsing(raw, expected):
    assert parse(_q("PHV-KLASSIK", "birth_date"), raw) == expected


@pytest.mark.parametrize("raw", ["1990/03/15", "15.13.1990", "90-03-15", 19900315])
def test_date_parsing_rejects(raw):
    with pytest.raises(InvalidAnswer):
        parse(_q("PHV-KLASSIK", "birth_date"), raw)


def test_choice_accepts_number_or_string():
    question = _q("HR-KOMFORT", "deductible")
    assert parse(question, 150) == parse(question, " 150 ") == "150"


def test_string_answers_give_the_same_quote_as_typed_ones():
    typed = {"living_area": Decimal("72.5"), "postcode": "50667",
             "bicycle_theft": True, "deductible": 300}
    strings = {"living_area": "72,5", "postcode": "50667",
               "bicycle_theft": "ja", "deductible": "300"}
    assert quote("HR-KOMFORT", typed, on=ON).lines == \
        quote("HR-KOMFORT", strings, on=ON).lines


def test_questions_describe_a_form():
    product = get_product("HR-KOMFORT", on=ON)
    area = product.question("living_area")
    assert (area.label, area.type, area.unit) == (
        "Wohnfläche", QuestionType.DECIMAL, "m²")
    assert (area.minimum, area.maximum, area.required) == (10, 1000, True)
    deductible = product.question("deductible")
    assert [(c.value, c.label) for c in deductible.choices][:2] == [
        ("0", "0 €"), ("150", "150 €")]
    assert deductible.default == "0" and not deductible.required
    phv = get_product("PHV-KLASSIK", on=ON).question("family_status")
    assert [c.label for c in phv.choices] == ["Single", "Paar", "Familie"]
