"""Privathaftpflicht Klassik (Sparte 040): personal liability insurance.

Base premium by family status, factor by sum insured, age band of the
policy holder (young people and seniors claim less), deductible discount.
"""
from .common import PAYMENT_SURCHARGES, TAX_RATE, euro_choices

PRIVATHAFTPFLICHT = {
    "product_id": "PHV-KLASSIK",
    "sparte": "040",
    "name": "Privathaftpflicht Klassik",
    "description": "Private Haftpflichtversicherung",
    "tax_rate": TAX_RATE,
    "payment_surcharges": PAYMENT_SURCHARGES,
    "questions": [
        {"name": "family_status", "label": "Familienstand", "type": "choice",
         "choices": [["single", "Single"], ["couple", "Paar"],
                     ["family", "Familie"]]},
        {"name": "sum_insured", "label": "Versicherungssumme",
         "type": "choice",
         "choices": [["5000000", "5 Mio. €"], ["10000000", "10 Mio. €"],
                     ["20000000", "20 Mio. €"]],
         "required": False, "default": "10000000"},
        {"name": "deductible", "label": "Selbstbeteiligung", "type": "choice",
         "choices": euro_choices(0, 150, 250), "required": False,
         "default": "0"},
        {"name": "birth_date", "label": "Geburtsdatum des Versicherungsnehmers",
         "type": "date"},
    ],
    "derived": [
        {"name": "age", "kind": "age", "input": "birth_date", "label": "Alter",
         "min": 18, "message": "Versicherungsnehmer muss volljährig sein"},
    ],
    "versions": [
        {"version": "2024-01", "valid_from": "2024-01-01", "rules": [
            # Annual base premium in € by family status.
            {"kind": "amount", "label": "Grundbeitrag",
             "amount": {"by": "family_status", "table": {
                 "single": "55.00", "couple": "68.00", "family": "82.00"}}},
            {"kind": "factor", "label": "Versicherungssumme",
             "factor": {"by": "sum_insured", "table": {
                 5000000: "1.00", 10000000: "1.10", 20000000: "1.25"}}},
            # Under 26: -20 %; 26-59: none; 60 and older: -10 %.
            {"kind": "factor", "label": "Altersstufe",
             "factor": {"by": "age", "bands": [
                 [18, "0.80"], [26, "1.00"], [60, "0.90"]]}},
            {"kind": "discount", "label": "Selbstbeteiligung",
             "percent": {"by": "deductible",
                         "table": {0: "0", 150: "10", 250: "15"}}},
            {"kind": "minimum", "label": "Mindestbeitrag", "amount": "45.00"},
        ]},
    ],
}
