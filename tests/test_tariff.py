"""Hand-calculated quotes, versioning and product lookup.

Every expected amount below was computed by hand; the arithmetic is in
the comment beside the case. Rounding: annual net to cents after all rules;
per payment net = annual × (1 + surcharge) / payments, rounded; tax = net
× 19 %, rounded; gross = net + tax. Surcharges: 1 → 0 %, 2 → 3 %, 4 → 5 %,
8 (monthly, 12 payments) → 5 %. All quotes on 2025-06-01 unless stated.
"""
import datetime as dt
from datetime import date
from decimal import Decimal

import pytest
import time_machine

from bipro.core.clock import local_today
from bipro.core.tariff import Quote, UnknownProduct, catalogue, get_product, products_on_offer, quote
from bipro.core.tariff.catalogue import Catalogue
from bipro.core.tariff.products import PRODUCT_DATA

ON = date(2025, 6, 1)

# (id, product, answers, annual net, {frequency: (net, tax, gross) per payment})
CASES = [
    # Hausrat, Berlin 10115 → zone 4, 80 m² → sum 80 × 650 = 52.000 €.
    # 52 × 2,20 = 114,40.
    # 2: 114,40 × 1,03 / 2 = 58,916 → 58,92; tax 11,1948 → 11,19
    # 4: 114,40 × 1,05 / 4 = 30,03;          tax 5,7057 → 5,71
    # 8: 120,12 / 12 = 10,01;                tax 1,9019 → 1,90
    ("hausrat-berlin", "HR-KOMFORT", {"living_area": 80, "postcode": "10115"},
     "114.40", {"1": ("114.40", "21.74", "136.14"),
                "2": ("58.92", "11.19", "70.11"),
                "4": ("30.03", "5.71", "35.74"),
                "8": ("10.01", "1.90", "11.91")}),
    # Hausrat, Köln 50667 → zone 3, 72,5 m² → 47.125 €, all options, SB 300.
    # 47,125 × 1,70 = 80,1125; × 1,12 = 89,726; × 1,15 = 103,1849;
    # + 18 = 121,1849; × 0,85 = 103,007165 → 103,01; tax 19,5719 → 19,57
    # 2: 103,01 × 1,03 / 2 = 53,05015 → 53,05; tax 10,0795 → 10,08
    # 4: 103,01 × 1,05 / 4 = 27,040125 → 27,04; tax 5,1376 → 5,14
    # 8: 108,1605 / 12 = 9,013375 → 9,01; tax 1,7119 → 1,71
    ("hausrat-options", "HR-KOMFORT",
     {"living_area": "72,5", "postcode": "50667", "bicycle_theft": "ja",
      "natural_hazards": "true", "glass": "1", "deductible": "300"},
     "103.01", {"1": ("103.01", "19.57", "122.58"),
                "2": ("53.05", "10.08", "63.13"),
                "4": ("27.04", "5.14", "32.18"),
                "8": ("9.01", "1.71", "10.72")}),
    # Hausrat, Kiel 24103 → zone 1, 30 m² → 19.500 €, SB 500.
    # 19,5 × 1,00 = 19,50; × 0,80 = 15,60 < minimum → 50,00; tax 9,50
    # 2: 51,50 / 2 = 25,75; tax 4,8925 → 4,89
    # 4: 52,50 / 4 = 13,125 → 13,13 (half up); tax 2,4947 → 2,49
    # 8: 52,50 / 12 = 4,375 → 4,38 (half up); tax 0,8322 → 0,83
    ("hausrat-minimum", "HR-KOMFORT",
     {"living_area": 30, "postcode": "24103", "deductible": 500},
     "50.00", {"1": ("50.00", "9.50", "59.50"),
               "2": ("25.75", "4.89", "30.64"),
               "4": ("13.13", "2.49", "15.62"),
               "8": ("4.38", "0.83", "5.21")}),
    # PHV single, 5 Mio., born 15.03.1995 → 30 years (factor 1,00), SB 0.
    # 55,00 × 1,00 × 1,00 = 55,00; tax 10,45
    # 2: 56,65 / 2 = 28,325 → 28,33; tax 5,3827 → 5,38
    # 4: 57,75 / 4 = 14,4375 → 14,44; tax 2,7436 → 2,74
    # 8: 57,75 / 12 = 4,8125 → 4,81; tax 0,9139 → 0,91
    ("phv-single", "PHV-KLASSIK",
     {"family_status": "single", "sum_insured": "5000000",
      "birth_date": "15.03.1995"},
     "55.00", {"1": ("55.00", "10.45", "65.45"),
               "2": ("28.33", "5.38", "33.71"),
               "4": ("14.44", "2.74", "17.18"),
               "8": ("4.81", "0.91", "5.72")}),
    # PHV family, 20 Mio., born 02.06.2001 → 23 on 01.06.2025 (birthday is
    # tomorrow) → under 26: 0,80; SB 150 → −10 %.
    # 82,00 × 1,25 = 102,50; × 0,80 = 82,00; × 0,90 = 73,80; tax 14,022 → 14,02
    # 2: 73,80 × 1,03 / 2 = 38,007 → 38,01; tax 7,2219 → 7,22
    # 4: 77,49 / 4 = 19,3725 → 19,37; tax 3,6803 → 3,68
    # 8: 77,49 / 12 = 6,4575 → 6,46; tax 1,2274 → 1,23
    ("phv-family-young", "PHV-KLASSIK",
     {"family_status": "family", "sum_insured": 20000000,
      "birth_date": "2001-06-02", "deductible": "150"},
     "73.80", {"1": ("73.80", "14.02", "87.82"),
               "2": ("38.01", "7.22", "45.23"),
               "4": ("19.37", "3.68", "23.05"),
               "8": ("6.46", "1.23", "7.69")}),
    # PHV couple, 10 Mio., born 01.06.1965 → exactly 60 → 0,90; SB 250 → −15 %.
    # 68,00 × 1,10 = 74,80; × 0,90 = 67,32; × 0,85 = 57,222 → 57,22
    # tax 10,8718 → 10,87
    # 2: 58,9366 / 2 = 29,4683 → 29,47; tax 5,5993 → 5,60
    # 4: 60,081 / 4 = 15,02025 → 15,02; tax 2,8538 → 2,85
    # 8: 60,081 / 12 = 5,00675 → 5,01; tax 0,9519 → 0,95
    ("phv-couple-60", "PHV-KLASSIK",
     {"family_status": "couple", "sum_insured": "10000000",
      "birth_date": date(1965, 6, 1), "deductible": "250"},
     "57.22", {"1": ("57.22", "10.87", "68.09"),
               "2": ("29.47", "5.60", "35.07"),
               "4": ("15.02", "2.85", "17.87"),
               "8": ("5.01", "0.95", "5.96")}),
    # Unfall 100.000 €, 225 %, group A, 30 years.
    # 100 × 0,90 = 90,00 × 1,00 × 1,00; tax 17,10
    # 2: 92,70 / 2 = 46,35; tax 8,8065 → 8,81
    # 4: 94,50 / 4 = 23,625 → 23,63; tax 4,4897 → 4,49
    # 8: 94,50 / 12 = 7,875 → 7,88; tax 1,4972 → 1,50
    ("unfall-a", "UNF-AKTIV",
     {"disability_sum": 100000, "progression": "225",
      "occupation_class": "A", "birth_date": "1995-03-15"},
     "90.00", {"1": ("90.00", "17.10", "107.10"),
               "2": ("46.35", "8.81", "55.16"),
               "4": ("23.63", "4.49", "28.12"),
               "8": ("7.88", "1.50", "9.38")}),
    # Unfall 250.000 €, 350 %, group B, born 10.01.1980 → 45 → 1,25.
    # 250 × 1,60 = 400; × 1,20 = 480; × 1,25 = 600,00; tax 114,00
    # 2: 618 / 2 = 309,00; tax 58,71
    # 4: 630 / 4 = 157,50; tax 29,925 → 29,93
    # 8: 630 / 12 = 52,50; tax 9,975 → 9,98
    ("unfall-b", "UNF-AKTIV",
     {"disability_sum": "250.000", "progression": "350",
      "occupation_class": "B", "birth_date": "10.01.1980"},
     "600.00", {"1": ("600.00", "114.00", "714.00"),
                "2": ("309.00", "58.71", "367.71"),
                "4": ("157.50", "29.93", "187.43"),
                "8": ("52.50", "9.98", "62.48")}),
    # Unfall 25.000 €, progression default 225 %, A, 20 years.
    # 25 × 0,90 = 22,50 < minimum → 40,00; tax 7,60
    # 2: 41,20 / 2 = 20,60; tax 3,914 → 3,91
    # 4: 42 / 4 = 10,50; tax 1,995 → 2,00 (half up)
    # 8: 42 / 12 = 3,50; tax 0,665 → 0,67 (half up)
    ("unfall-minimum", "UNF-AKTIV",
     {"disability_sum": 25000, "occupation_class": "A",
      "birth_date": "2005-01-01"},
     "40.00", {"1": ("40.00", "7.60", "47.60"),
               "2": ("20.60", "3.91", "24.51"),
               "4": ("10.50", "2.00", "12.50"),
               "8": ("3.50", "0.67", "4.17")}),
    # Unfall 500.000 €, 500 %, B, born 01.06.1950 → exactly 75 → 1,60.
    # 500 × 1,60 = 800; × 1,45 = 1.160; × 1,60 = 1.856,00; tax 352,64
    # 2: 1.911,68 / 2 = 955,84; tax 181,6096 → 181,61
    # 4: 1.948,80 / 4 = 487,20; tax 92,568 → 92,57
    # 8: 1.948,80 / 12 = 162,40; tax 30,856 → 30,86
    ("unfall-max", "UNF-AKTIV",
     {"disability_sum": 500000, "progression": 500,
      "occupation_class": "B", "birth_date": "1950-06-01"},
     "1856.00", {"1": ("1856.00", "352.64", "2208.64"),
                 "2": ("955.84", "181.61", "1137.45"),
                 "4": ("487.20", "92.57", "579.77"),
                 "8": ("162.40", "30.86", "193.26")}),
    # Rechtsschutz Privat + Beruf + Verkehr, SB 150 → −10 %.
    # 120 + 60 + 50 = 230; × 0,90 = 207,00; tax 39,33
    # 2: 213,21 / 2 = 106,605 → 106,61; tax 20,2559 → 20,26
    # 4: 217,35 / 4 = 54,3375 → 54,34; tax 10,3246 → 10,32
    # 8: 217,35 / 12 = 18,1125 → 18,11; tax 3,4409 → 3,44
    ("rs-three", "RS-BAUSTEIN",
     {"private": True, "job": True, "traffic": True, "deductible": "150"},
     "207.00", {"1": ("207.00", "39.33", "246.33"),
                "2": ("106.61", "20.26", "126.87"),
                "4": ("54.34", "10.32", "64.66"),
                "8": ("18.11", "3.44", "21.55")}),
    # Rechtsschutz all four modules, SB 0.
    # 120 + 60 + 50 + 70 = 300,00; tax 57,00
    # 2: 309 / 2 = 154,50; tax 29,355 → 29,36
    # 4: 315 / 4 = 78,75; tax 14,9625 → 14,96
    # 8: 315 / 12 = 26,25; tax 4,9875 → 4,99
    ("rs-all", "RS-BAUSTEIN",
     {"private": "ja", "job": "ja", "traffic": "ja", "home": "ja",
      "deductible": "0"},
     "300.00", {"1": ("300.00", "57.00", "357.00"),
                "2": ("154.50", "29.36", "183.86"),
                "4": ("78.75", "14.96", "93.71"),
                "8": ("26.25", "4.99", "31.24")}),
    # Rechtsschutz Verkehr only, SB 500 → −25 %.
    # 50 × 0,75 = 37,50 < minimum → 45,00; tax 8,55
    # 2: 46,35 / 2 = 23,175 → 23,18; tax 4,4042 → 4,40
    # 4: 47,25 / 4 = 11,8125 → 11,81; tax 2,2439 → 2,24
    # 8: 47,25 / 12 = 3,9375 → 3,94; tax 0,7486 → 0,75
    ("rs-minimum", "RS-BAUSTEIN", {"traffic": "on", "deductible": "500"},
     "45.00", {"1": ("45.00", "8.55", "53.55"),
               "2": ("23.18", "4.40", "27.58"),
               "4": ("11.81", "2.24", "14.05"),
               "8": ("3.94", "0.75", "4.69")}),
    # Wohngebäude München 80331 → zone 4, 140 m², Baujahr 1995 → 30 years
    # → 1,20, Elementar zone 4 → +30 %, SB 500 → −10 %.
    # 140 × 3,30 = 462; × 1,20 = 554,40; × 1,30 = 720,72; × 0,90 = 648,648
    # → 648,65; tax 123,2435 → 123,24
    # 2: 668,1095 / 2 = 334,05475 → 334,05; tax 63,4695 → 63,47
    # 4: 681,0825 / 4 = 170,270625 → 170,27; tax 32,3513 → 32,35
    # 8: 681,0825 / 12 = 56,756875 → 56,76; tax 10,7844 → 10,78
    ("wg-munich", "WG-KOMPAKT",
     {"living_area": 140, "construction_year": 1995, "postcode": "80331",
      "natural_hazards": True, "deductible": "500"},
     "648.65", {"1": ("648.65", "123.24", "771.89"),
                "2": ("334.05", "63.47", "397.52"),
                "4": ("170.27", "32.35", "202.62"),
                "8": ("56.76", "10.78", "67.54")}),
    # Wohngebäude Dresden 01067 → zone 2, 100 m², Baujahr 2020 → 5 → 0,85.
    # 100 × 2,20 = 220; × 0,85 = 187,00; tax 35,53
    # 2: 192,61 / 2 = 96,305 → 96,31; tax 18,2989 → 18,30
    # 4: 196,35 / 4 = 49,0875 → 49,09; tax 9,3271 → 9,33
    # 8: 196,35 / 12 = 16,3625 → 16,36; tax 3,1084 → 3,11
    ("wg-new", "WG-KOMPAKT",
     {"living_area": "100", "construction_year": "2020", "postcode": "01067"},
     "187.00", {"1": ("187.00", "35.53", "222.53"),
                "2": ("96.31", "18.30", "114.61"),
                "4": ("49.09", "9.33", "58.42"),
                "8": ("16.36", "3.11", "19.47")}),
    # Wohngebäude Kiel 24103 → zone 1, 40 m², Baujahr 1960 → 65 → 1,40,
    # SB 1000 → −15 %. 40 × 1,80 = 72; × 1,40 = 100,80; × 0,85 = 85,68
    # < minimum → 150,00; tax 28,50
    # 2: 154,50 / 2 = 77,25; tax 14,6775 → 14,68
    # 4: 157,50 / 4 = 39,375 → 39,38; tax 7,4822 → 7,48
    # 8: 157,50 / 12 = 13,125 → 13,13; tax 2,4947 → 2,49
    ("wg-minimum", "WG-KOMPAKT",
     {"living_area": 40, "construction_year": 1960, "postcode": "24103",
      "deductible": "1000"},
     "150.00", {"1": ("150.00", "28.50", "178.50"),
                "2": ("77.25", "14.68", "91.93"),
                "4": ("39.38", "7.48", "46.86"),
                "8": ("13.13", "2.49", "15.62")}),
]


@pytest.mark.parametrize("case_id, product_id, answers, annual_net, lines",
                         CASES, ids=[case[0] for case in CASES])
def test_hand_calculated_quote(case_id, product_id, answers, annual_net, lines):
    result = quote(product_id, answers, on=ON)
    assert result.annual_net == Decimal(annual_net)
    actual = {line.code: (line.net, line.tax, line.gross)
              for line in result.lines}
    expected = {code: tuple(Decimal(amount) for amount in amounts)
                for code, amounts in lines.items()}
    assert actual == expected


def test_every_product_has_a_hand_calculated_case():
    assert {case[1] for case in CASES} == set(catalogue.product_ids())


def test_annual_totals_multiply_the_per_payment_amounts():
    # Monthly Hausrat Berlin: 10,01 × 12 = 120,12; 1,90 × 12 = 22,80
    monthly = quote("HR-KOMFORT", {"living_area": 80, "postcode": "10115"},
                    on=ON).line("8")
    assert monthly.frequency.payments == 12
    assert monthly.annual_net == Decimal("120.12")
    assert monthly.annual_tax == Decimal("22.80")
    assert monthly.annual_gross == Decimal("142.92")


def test_quote_keeps_parsed_answers_defaults_and_derived_values():
    result = quote("HR-KOMFORT", {"living_area": "72,5", "postcode": "50667"},
                   on=ON)
    assert isinstance(result, Quote)
    assert result.product.version == "2024-01"
    assert result.on == ON
    assert result.answers["living_area"] == Decimal("72.5")
    assert result.answers["glass"] is False          # default
    assert result.answers["deductible"] == "0"       # default
    assert result.derived == {"sum_insured": Decimal("47125.0"), "zone": 3}
    assert [step.label for step in result.steps] == [
        "Grundbeitrag", "Selbstbeteiligung", "Mindestbeitrag"]


def test_rows_are_ready_for_a_table():
    result = quote("HR-KOMFORT", {"living_area": 80, "postcode": "10115"},
                   on=ON)
    rows = result.rows(formatted=True)
    assert [row["frequency"] for row in rows] == [
        "jährlich", "halbjährlich", "vierteljährlich", "monatlich"]
    assert rows[0]["gross"] == "136,14 €"
    assert rows[3]["annual_gross"] == "142,92 €"
    assert result.rows()[0]["net"] == Decimal("114.40")
    assert ("Wohnfläche", "80 m²") in result.answer_rows()


# -- versioning ---------------------------------------------------------------

BERLIN_80 = {"living_area": 80, "postcode": "10115"}


def test_hausrat_rates_raised_from_2026():
    # 2025: 52 × 2,20 = 114,40; tax 21,736 → 21,74; gross 136,14
    # 2026: 52 × 2,40 = 124,80; tax 23,712 → 23,71; gross 148,51
    old = quote("HR-KOMFORT", BERLIN_80, on=date(2025, 6, 1))
    new = quote("HR-KOMFORT", BERLIN_80, on=date(2026, 6, 1))
    assert (old.product.version, new.product.version) == ("2024-01", "2026-01")
    assert old.line("1").gross == Decimal("136.14")
    assert new.annual_net == Decimal("124.80")
    assert new.line("1").tax == Decimal("23.71")
    assert new.line("1").gross == Decimal("148.51")


def test_new_minimum_premium_from_2026():
    # 30 m² in zone 1 with SB 500: 19,50 × 1,10 × 0,80 = 17,16 → minimum 55,00
    small = {"living_area": 30, "postcode": "24103", "deductible": "500"}
    assert quote("HR-KOMFORT", small, on=date(2026, 1, 1)).annual_net == \
        Decimal("55.00")


@pytest.mark.parametrize("day, version", [
    (date(2024, 1, 1), "2024-01"),
    (date(2025, 12, 31), "2024-01"),
    (date(2026, 1, 1), "2026-01"),
    (date(2030, 1, 1), "2026-01"),
])
def test_version_boundaries_are_inclusive(day, version):
    assert get_product("HR-KOMFORT", on=day).version == version


def test_catalogue_holds_all_versions():
    versions = catalogue.versions("HR-KOMFORT")
    assert [v.version for v in versions] == ["2024-01", "2026-01"]
    assert versions[0].valid_until == date(2025, 12, 31)


def test_products_on_offer():
    offered = products_on_offer(on=date(2026, 6, 1))
    assert [(p.sparte, p.product_id) for p in offered] == [
        ("030", "UNF-AKTIV"), ("040", "PHV-KLASSIK"), ("070", "RS-BAUSTEIN"),
        ("130", "HR-KOMFORT"), ("140", "WG-KOMPAKT")]
    assert next(p for p in offered if p.sparte == "130").version == "2026-01"
    assert products_on_offer(on=date(2023, 12, 31)) == []


# -- unknown and expired products ----------------------------------------------

def test_unknown_product():
    with pytest.raises(UnknownProduct) as info:
        quote("KFZ-TOP", {}, on=ON)
    assert info.value.product_id == "KFZ-TOP"
    assert str(info.value) == "Produkt „KFZ-TOP“ ist unbekannt"


def test_product_not_yet_valid():
    with pytest.raises(UnknownProduct) as info:
        quote("HR-KOMFORT", BERLIN_80, on=date(2023, 12, 31))
    assert info.value.on == date(2023, 12, 31)
    assert "31.12.2023" in str(info.value)


def test_expired_product():
    # A catalogue in which Hausrat was withdrawn at the end of 2025.
    withdrawn = [dict(PRODUCT_DATA[0],
                      versions=PRODUCT_DATA[0]["versions"][:1])]
    expired = Catalogue.from_data(withdrawn)
    assert expired.quote("HR-KOMFORT", BERLIN_80, on=date(2025, 12, 31))
    with pytest.raises(UnknownProduct):
        expired.quote("HR-KOMFORT", BERLIN_80, on=date(2026, 1, 1))
    assert expired.on_offer(on=date(2026, 1, 1)) == []


@pytest.mark.clock
def test_default_date_is_today():
    assert get_product("PHV-KLASSIK").is_valid_on(local_today())


@pytest.mark.clock
def test_default_date_is_the_german_day_at_new_year():
    """At 23:30 UTC on New Year's Eve it is already the new year, and its rates, in Germany."""
    with time_machine.travel(dt.datetime(2025, 12, 31, 23, 30, tzinfo=dt.timezone.utc), tick=False):
        assert get_product("HR-KOMFORT").version == "2026-01"
        assert quote("HR-KOMFORT", BERLIN_80).on == date(2026, 1, 1)
    with time_machine.travel(dt.datetime(2025, 12, 31, 22, 30, tzinfo=dt.timezone.utc), tick=False):
        assert get_product("HR-KOMFORT").version == "2024-01"
