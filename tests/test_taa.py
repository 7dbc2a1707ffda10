"""Norm 420 getQuote over real HTTP: the SOAP answer is the tariff engine's quote.

Expected amounts come from the engine itself (same inputs, same date) and,
for a few pinned cases, from the hand calculations in ``test_tariff.py``.
Every answer and every fault is checked against ``schemas/tarifierung.xsd``.
"""

from datetime import date
from decimal import Decimal

import pytest
from zeep.exceptions import Fault

from bipro.core.tariff import get_product, quote, validate
from bipro.core.tariff.quotes import today
from tests.support.bipro_client import request_token, service_client
from tests.support.taa import NS, TAA_PATH, Recorder, angabe_quelle, assert_valid, fault_meldungen, refused, tarifierung

ON = date(2025, 6, 1)

# The five demo products with answers in the spellings brokers send.
DEMO = [
    ("HR-KOMFORT", "130", {"living_area": "72,5", "postcode": "50667", "bicycle_theft": "ja",
                           "natural_hazards": "true", "glass": "1", "deductible": "300"}),
    ("PHV-KLASSIK", "040", {"family_status": "family", "sum_insured": "20000000",
                            "birth_date": "2001-06-02", "deductible": "150"}),
    ("UNF-AKTIV", "030", {"disability_sum": "250.000", "progression": "350",
                          "occupation_class": "B", "birth_date": "10.01.1980"}),
    ("RS-BAUSTEIN", "070", {"private": "true", "job": "true", "traffic": "true",
                            "deductible": "150"}),
    ("WG-KOMPAKT", "140", {"living_area": "140", "construction_year": "1995",
                           "postcode": "80331", "natural_hazards": "true", "deductible": "500"}),
]
BERLIN_80 = {"living_area": "80", "postcode": "10115"}


@pytest.fixture(scope="module")
def token(base_url):
    return request_token(base_url)


@pytest.fixture(scope="module")
def recorder():
    return Recorder()


@pytest.fixture(scope="module")
def taa_client(base_url, token, recorder):
    taa_client = service_client(base_url, TAA_PATH, token)
    taa_client.plugins.append(recorder)
    return taa_client


def get_quote(taa_client, recorder, *entries):
    """Call getQuote, check the answer against the XSD and the 01005 status; the Tarifierungen."""
    response = taa_client.service.getQuote(Request={"Tarifierung": list(entries)})
    assert_valid(recorder.received_body())
    assert response.Status.StatusID == "OK"
    assert [m.MeldungID for m in response.Status.Meldung] == ["01005"]
    assert response.BiPROVersion == "2.6.1.1.0"
    return response.Tarifierung


def amounts(result) -> dict:
    return {b.Zahlungsweise: (b.AnzahlZahlungen, b.Ratenzuschlag,
                              b.Nettobeitrag.Betrag, b.Versicherungsteuer.Betrag,
                              b.Bruttobeitrag.Betrag, b.NettobeitragJahr.Betrag,
                              b.VersicherungsteuerJahr.Betrag, b.BruttobeitragJahr.Betrag)
            for b in result.Beitrag}


def core_amounts(offer) -> dict:
    return {line.code: (line.frequency.payments, line.frequency.surcharge, line.net, line.tax,
                        line.gross, line.annual_net, line.annual_tax, line.annual_gross)
            for line in offer.lines}


def assert_equals_core(result, product_id, answers, on):
    expected = quote(product_id, answers, on=on)
    product = expected.product
    assert result.Berechnungsdatum == expected.on
    sold = result.Verkaufsprodukt
    assert (sold.Sparte, sold.ProduktID, sold.Name, sold.Version, sold.GueltigAb, sold.GueltigBis) \
        == (product.sparte, product.product_id, product.name, product.version,
            product.valid_from, product.valid_until)
    assert result.Versicherungsteuersatz == product.tax_rate
    assert [b.Zahlungsweise for b in result.Beitrag] == ["1", "2", "4", "8"]
    assert amounts(result) == core_amounts(expected)
    currencies = {getattr(b, name).Waehrung for b in result.Beitrag
                  for name in ("Nettobeitrag", "Versicherungsteuer", "Bruttobeitrag",
                               "NettobeitragJahr", "VersicherungsteuerJahr", "BruttobeitragJahr")}
    assert currencies == {"EUR"}


# -- quotes ---------------------------------------------------------------------

@pytest.mark.parametrize("product_id, sparte, answers", DEMO, ids=[d[0] for d in DEMO])
def test_each_demo_product_equals_the_core_quote(taa_client, recorder, product_id, sparte, answers):
    [result] = get_quote(taa_client, recorder, tarifierung(product_id, sparte, answers, ON))
    assert_equals_core(result, product_id, answers, ON)


@pytest.mark.parametrize("product_id, sparte, answers", DEMO, ids=[d[0] for d in DEMO])
def test_risk_data_as_rated_quote_the_same_again(taa_client, recorder, product_id, sparte, answers):
    # The echoed Risikodaten carry the defaults; sent back they give the same premiums.
    [result] = get_quote(taa_client, recorder, tarifierung(product_id, sparte, answers, ON))
    echoed = {a.Name: a.Wert for a in result.Risikodaten.Angabe}
    assert set(echoed) >= set(answers)
    assert core_amounts(quote(product_id, echoed, on=ON)) == amounts(result)


def test_hausrat_berlin_hand_calculated(taa_client, recorder):
    # test_tariff.py "hausrat-berlin": 52 × 2,20 = 114,40; tax 21,74; monthly 10,01 + 1,90.
    [result] = get_quote(taa_client, recorder, tarifierung("HR-KOMFORT", "130", BERLIN_80, ON))
    lines = amounts(result)
    assert lines["1"][2:5] == (Decimal("114.40"), Decimal("21.74"), Decimal("136.14"))
    assert lines["2"][2:5] == (Decimal("58.92"), Decimal("11.19"), Decimal("70.11"))
    assert lines["8"] == (12, Decimal("5"), Decimal("10.01"), Decimal("1.90"), Decimal("11.91"),
                          Decimal("120.12"), Decimal("22.80"), Decimal("142.92"))
    assert result.Versicherungsteuersatz == Decimal("19")
    echoed = {a.Name: a.Wert for a in result.Risikodaten.Angabe}
    assert echoed == {"living_area": "80", "postcode": "10115", "bicycle_theft": "false",
                      "natural_hazards": "false", "glass": "false", "deductible": "0"}


def test_unfall_hand_calculated(taa_client, recorder):
    # test_tariff.py "unfall-b": 250 × 1,60 × 1,20 × 1,25 = 600,00; tax 114,00.
    [result] = get_quote(taa_client, recorder, tarifierung("UNF-AKTIV", "030", DEMO[2][2], ON))
    lines = amounts(result)
    assert lines["1"][2:5] == (Decimal("600.00"), Decimal("114.00"), Decimal("714.00"))
    assert lines["4"][2:5] == (Decimal("157.50"), Decimal("29.93"), Decimal("187.43"))


def test_several_products_in_one_call_answer_in_order(taa_client, recorder):
    entries = [tarifierung(product_id, sparte, answers, ON) for product_id, sparte, answers in DEMO]
    results = get_quote(taa_client, recorder, *reversed(entries))
    assert [r.Verkaufsprodukt.ProduktID for r in results] == [d[0] for d in reversed(DEMO)]
    for result, (product_id, _, answers) in zip(results, reversed(DEMO)):
        assert_equals_core(result, product_id, answers, ON)
    assert "5 Produkte" in recorder.received_body().findtext(".//nac:Meldung/nac:Text",
                                                             namespaces=NS)


def test_the_version_date_changes_the_premium_as_the_engine_says(taa_client, recorder):
    old, new = get_quote(taa_client, recorder,
                         tarifierung("HR-KOMFORT", "130", BERLIN_80, date(2025, 12, 31)),
                         tarifierung("HR-KOMFORT", "130", BERLIN_80, date(2026, 1, 1)))
    assert (old.Verkaufsprodukt.Version, new.Verkaufsprodukt.Version) == ("2024-01", "2026-01")
    assert old.Verkaufsprodukt.GueltigBis == date(2025, 12, 31)
    assert new.Verkaufsprodukt.GueltigBis is None
    # test_tariff.py: 2026 rates 52 × 2,40 = 124,80; tax 23,71; gross 148,51.
    assert amounts(old)["1"][4] == Decimal("136.14")
    assert amounts(new)["1"][2:5] == (Decimal("124.80"), Decimal("23.71"), Decimal("148.51"))
    assert_equals_core(old, "HR-KOMFORT", BERLIN_80, date(2025, 12, 31))
    assert_equals_core(new, "HR-KOMFORT", BERLIN_80, date(2026, 1, 1))


def test_without_a_date_the_rates_of_today_apply(taa_client, recorder):
    [result] = get_quote(taa_client, recorder, tarifierung("PHV-KLASSIK", "040", DEMO[1][2]))
    assert result.Berechnungsdatum in (today(), date.fromordinal(today().toordinal() - 1))
    assert_equals_core(result, "PHV-KLASSIK", DEMO[1][2], result.Berechnungsdatum)


# -- 01003: risk data ---------------------------------------------------------------

INVALID = [
    # (id, product, answers, [(question name, problem code)])
    ("missing", "HR-KOMFORT", {"postcode": "10115"}, [("living_area", "missing")]),
    ("out-of-range", "HR-KOMFORT", {"living_area": "5", "postcode": "10115"},
     [("living_area", "range")]),
    ("bad-choice", "HR-KOMFORT", {**BERLIN_80, "deductible": "999"}, [("deductible", "choice")]),
    ("bad-type-number", "WG-KOMPAKT",
     {"living_area": "viel", "construction_year": "1995", "postcode": "80331"},
     [("living_area", "type")]),
    ("bad-type-date", "UNF-AKTIV",
     {"disability_sum": "100000", "occupation_class": "A", "birth_date": "31.02.1990"},
     [("birth_date", "type")]),
    ("bad-step", "UNF-AKTIV",
     {"disability_sum": "101000", "occupation_class": "A", "birth_date": "1990-01-01"},
     [("disability_sum", "step")]),
    ("bad-format", "HR-KOMFORT", {"living_area": "80", "postcode": "1011"},
     [("postcode", "format")]),
    ("unknown-name", "HR-KOMFORT", {**BERLIN_80, "colour": "rot"}, [("colour", "unknown")]),
    ("too-young", "PHV-KLASSIK", {"family_status": "single", "birth_date": "2015-01-01"},
     [("birth_date", "range")]),
    ("combination", "RS-BAUSTEIN", {"job": "true"}, [("job", "combination")]),
    ("several", "HR-KOMFORT",
     {"living_area": "viel", "postcode": "1234", "deductible": "999", "glass": "vielleicht"},
     [("living_area", "type"), ("postcode", "format"), ("glass", "type"),
      ("deductible", "choice")]),
]


@pytest.mark.parametrize("case_id, product_id, answers, expected", INVALID,
                         ids=[case[0] for case in INVALID])
def test_each_invalid_risk_datum_gives_01003_with_its_quelle(taa_client, recorder, case_id,
                                                             product_id, answers, expected):
    sparte = get_product(product_id, ON).sparte
    meldungen = refused(taa_client, recorder, tarifierung(product_id, sparte, answers, ON))
    problems = validate(product_id, answers, on=ON)
    assert [(p.field, p.code) for p in problems] == expected
    assert meldungen == [("01003", p.message, angabe_quelle(1, p.field)) for p in problems]


def test_missing_risk_data_text_is_german(taa_client, recorder):
    meldungen = refused(taa_client, recorder, tarifierung("HR-KOMFORT", "130", {}, ON))
    assert meldungen == [
        ("01003", "Wohnfläche fehlt", angabe_quelle(1, "living_area")),
        ("01003", "Postleitzahl fehlt", angabe_quelle(1, "postcode")),
    ]


def test_an_empty_wert_counts_as_not_given(taa_client, recorder):
    meldungen = refused(taa_client, recorder,
                        tarifierung("HR-KOMFORT", "130", {**BERLIN_80, "living_area": ""}, ON))
    assert meldungen == [("01003", "Wohnfläche fehlt", angabe_quelle(1, "living_area"))]


def test_one_failing_product_fails_the_call_and_names_its_position(taa_client, recorder):
    good = tarifierung("HR-KOMFORT", "130", BERLIN_80, ON)
    bad_risk = tarifierung("PHV-KLASSIK", "040", {"family_status": "alien"}, ON)
    unknown = tarifierung("KFZ-TOP", "050", {}, ON)
    meldungen = refused(taa_client, recorder, good, bad_risk, unknown)
    assert [(code, quelle) for code, _, quelle in meldungen] == [
        ("01003", angabe_quelle(2, "family_status")),
        ("01003", angabe_quelle(2, "birth_date")),
        ("01015", "KFZ-TOP"),
    ]


# -- 01015: no tariff ---------------------------------------------------------------

def test_unknown_product_gives_01015(taa_client, recorder):
    meldungen = refused(taa_client, recorder, tarifierung("KFZ-TOP", "050", {}, ON))
    assert meldungen == [("01015", "Produkt „KFZ-TOP“ ist unbekannt", "KFZ-TOP")]


def test_a_date_before_the_first_version_gives_01015(taa_client, recorder):
    meldungen = refused(taa_client, recorder,
                        tarifierung("HR-KOMFORT", "130", BERLIN_80, date(2023, 12, 31)))
    assert meldungen == [
        ("01015", "Produkt „HR-KOMFORT“ ist am 31.12.2023 nicht im Angebot", "HR-KOMFORT")]


def test_a_sparte_that_does_not_match_gives_01015(taa_client, recorder):
    meldungen = refused(taa_client, recorder, tarifierung("HR-KOMFORT", "140", BERLIN_80, ON))
    assert meldungen == [("01015", "Produkt „HR-KOMFORT“ gehört zur Sparte 130, "
                                   "nicht zur Sparte 140", "HR-KOMFORT")]


# -- the token -----------------------------------------------------------------------

def test_an_invalid_token_is_refused_with_00962(base_url):
    never_issued = "bipro:" + "x" * 43  # well-formed, so it is looked up and not found
    taa_client = service_client(base_url, TAA_PATH, never_issued)
    with pytest.raises(Fault) as info:
        taa_client.service.getQuote(Request={"Tarifierung": [tarifierung("HR-KOMFORT", "130",
                                                                    BERLIN_80, ON)]})
    assert [m[0] for m in fault_meldungen(info.value.detail)] == ["00962"]
