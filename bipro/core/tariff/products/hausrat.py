"""Hausrat Komfort (Sparte 130): household contents insurance.

Sum insured = living area × 650 €/m² (Unterversicherungsverzicht). The base
rate per 1000 € sum insured depends on the postcode zone. Rates were raised
from 2026-01-01 (higher burglary claims); the 2024 version stays in the
catalogue so older quotes can be recalculated.
"""
from .common import PAYMENT_SURCHARGES, POSTCODE_QUESTION, TAX_RATE, ZONE_FROM_POSTCODE, euro_choices

QUESTIONS = [
    {"name": "living_area", "label": "Wohnfläche", "type": "decimal",
     "min": 10, "max": 1000, "unit": "m²"},
    POSTCODE_QUESTION,
    {"name": "bicycle_theft", "label": "Fahrraddiebstahl", "type": "boolean",
     "required": False, "default": False},
    {"name": "natural_hazards", "label": "Elementarschäden", "type": "boolean",
     "required": False, "default": False},
    {"name": "glass", "label": "Glasversicherung", "type": "boolean",
     "required": False, "default": False},
    {"name": "deductible", "label": "Selbstbeteiligung", "type": "choice",
     "choices": euro_choices(0, 150, 300, 500), "required": False,
     "default": "0"},
]

DERIVED = [
    {"name": "sum_insured", "kind": "multiply", "input": "living_area",
     "factor": "650", "label": "Versicherungssumme", "unit": "€"},
    ZONE_FROM_POSTCODE,
]


def _rules(rate_by_zone, minimum):
    """The rule list; only the base rates and the minimum change by version."""
    return [
        # € per 1000 € sum insured, by zone
        {"kind": "rate_per_unit", "label": "Grundbeitrag",
         "input": "sum_insured", "per": 1000,
         "rate": {"by": "zone", "table": rate_by_zone}},
        {"kind": "surcharge", "label": "Fahrraddiebstahl",
         "if": "bicycle_theft", "percent": "12"},
        {"kind": "surcharge", "label": "Elementarschäden",
         "if": "natural_hazards", "percent": "15"},
        # Glass is priced flat: the risk hardly depends on the sum insured.
        {"kind": "amount", "label": "Glasversicherung", "if": "glass",
         "amount": "18.00"},
        {"kind": "discount", "label": "Selbstbeteiligung",
         "percent": {"by": "deductible",
                     "table": {0: "0", 150: "10", 300: "15", 500: "20"}}},
        {"kind": "minimum", "label": "Mindestbeitrag", "amount": minimum},
    ]


HAUSRAT = {
    "product_id": "HR-KOMFORT",
    "sparte": "130",
    "name": "Hausrat Komfort",
    "description": "Hausratversicherung mit Unterversicherungsverzicht",
    "tax_rate": TAX_RATE,
    "payment_surcharges": PAYMENT_SURCHARGES,
    "questions": QUESTIONS,
    "derived": DERIVED,
    "versions": [
        {"version": "2024-01", "valid_from": "2024-01-01",
         "valid_until": "2025-12-31",
         "rules": _rules({1: "1.00", 2: "1.30", 3: "1.70", 4: "2.20"},
                         minimum="50.00")},
        # Rates +9 to +12 %, minimum premium 50 -> 55 €.
        {"version": "2026-01", "valid_from": "2026-01-01",
         "rules": _rules({1: "1.10", 2: "1.45", 3: "1.85", 4: "2.40"},
                         minimum="55.00")},
    ],
}
