"""Unfall Aktiv (Sparte 030): personal accident insurance.

Rate per 1000 € disability sum by occupation class (Gefahrengruppe A:
office work, B: manual work), factor for the progression, age band factor.
"""
from .common import PAYMENT_SURCHARGES, TAX_RATE

UNFALL = {
    "product_id": "UNF-AKTIV",
    "sparte": "030",
    "name": "Unfall Aktiv",
    "description": "Private Unfallversicherung mit Progression",
    "tax_rate": TAX_RATE,
    "payment_surcharges": PAYMENT_SURCHARGES,
    "questions": [
        {"name": "disability_sum", "label": "Invaliditätsgrundsumme",
         "type": "integer", "min": 25000, "max": 500000, "step": 5000,
         "unit": "€"},
        {"name": "progression", "label": "Progression", "type": "choice",
         "choices": [["225", "225 %"], ["350", "350 %"], ["500", "500 %"]],
         "required": False, "default": "225"},
        {"name": "occupation_class", "label": "Gefahrengruppe",
         "type": "choice",
         "choices": [["A", "A – kaufmännische oder verwaltende Tätigkeit"],
                     ["B", "B – körperliche oder handwerkliche Tätigkeit"]]},
        {"name": "birth_date", "label": "Geburtsdatum der versicherten Person",
         "type": "date"},
    ],
    "derived": [
        {"name": "age", "kind": "age", "input": "birth_date", "label": "Alter",
         "min": 18, "max": 75, "message":
         "Die versicherte Person muss zwischen 18 und 75 Jahre alt sein"},
    ],
    "versions": [
        {"version": "2024-01", "valid_from": "2024-01-01", "rules": [
            # € per 1000 € Invaliditätsgrundsumme.
            {"kind": "rate_per_unit", "label": "Grundbeitrag",
             "input": "disability_sum", "per": 1000,
             "rate": {"by": "occupation_class",
                      "table": {"A": "0.90", "B": "1.60"}}},
            {"kind": "factor", "label": "Progression",
             "factor": {"by": "progression", "table": {
                 225: "1.00", 350: "1.20", 500: "1.45"}}},
            # Accidents heal worse with age.
            {"kind": "factor", "label": "Altersstufe",
             "factor": {"by": "age", "bands": [
                 [18, "1.00"], [40, "1.25"], [60, "1.60"]]}},
            {"kind": "minimum", "label": "Mindestbeitrag", "amount": "40.00"},
        ]},
    ],
}
