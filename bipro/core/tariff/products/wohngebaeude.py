"""Wohngebäude Kompakt (Sparte 140): residential building insurance.

Simplification: rated per m² of living area by zone instead of the usual
Wert 1914; building age from the year of construction gives a factor
(new buildings have fewer pipe bursts); natural hazards cost more in
riskier zones.
"""
from .common import PAYMENT_SURCHARGES, POSTCODE_QUESTION, TAX_RATE, ZONE_FROM_POSTCODE, euro_choices

WOHNGEBAEUDE = {
    "product_id": "WG-KOMPAKT",
    "sparte": "140",
    "name": "Wohngebäude Kompakt",
    "description": "Wohngebäudeversicherung für Ein- und Zweifamilienhäuser",
    "tax_rate": TAX_RATE,
    "payment_surcharges": PAYMENT_SURCHARGES,
    "questions": [
        {"name": "living_area", "label": "Wohnfläche", "type": "decimal",
         "min": 30, "max": 1000, "unit": "m²"},
        {"name": "construction_year", "label": "Baujahr", "type": "integer",
         "min": 1800, "max": 2100},
        POSTCODE_QUESTION,
        {"name": "natural_hazards", "label": "Elementarschäden",
         "type": "boolean", "required": False, "default": False},
        {"name": "deductible", "label": "Selbstbeteiligung", "type": "choice",
         "choices": euro_choices(0, 500, 1000), "required": False,
         "default": "0"},
    ],
    "derived": [
        {"name": "building_age", "kind": "years_since",
         "input": "construction_year", "label": "Gebäudealter",
         "unit": "Jahre", "min": 0,
         "message": "Baujahr darf nicht in der Zukunft liegen"},
        ZONE_FROM_POSTCODE,
    ],
    "versions": [
        {"version": "2024-01", "valid_from": "2024-01-01", "rules": [
            # € per m² living area, by zone.
            {"kind": "rate_per_unit", "label": "Grundbeitrag",
             "input": "living_area", "per": 1,
             "rate": {"by": "zone", "table": {
                 1: "1.80", 2: "2.20", 3: "2.70", 4: "3.30"}}},
            # Building age in years: 0-9, 10-29, 30-59, 60+.
            {"kind": "factor", "label": "Gebäudealter",
             "factor": {"by": "building_age", "bands": [
                 [0, "0.85"], [10, "1.00"], [30, "1.20"], [60, "1.40"]]}},
            {"kind": "surcharge", "label": "Elementarschäden",
             "if": "natural_hazards",
             "percent": {"by": "zone", "table": {
                 1: "10", 2: "15", 3: "20", 4: "30"}}},
            {"kind": "discount", "label": "Selbstbeteiligung",
             "percent": {"by": "deductible", "table": {
                 0: "0", 500: "10", 1000: "15"}}},
            {"kind": "minimum", "label": "Mindestbeitrag", "amount": "150.00"},
        ]},
    ],
}
