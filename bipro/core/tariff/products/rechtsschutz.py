"""Rechtsschutz Baustein (Sparte 070): legal expenses insurance in modules.

Each chosen module adds a fixed annual amount; at least one module must be
chosen, and Beruf (employment disputes) is only sold together with Privat.
"""
from .common import PAYMENT_SURCHARGES, TAX_RATE, euro_choices


def _module(name, label):
    return {"name": name, "label": label, "type": "boolean",
            "required": False, "default": False}


RECHTSSCHUTZ = {
    "product_id": "RS-BAUSTEIN",
    "sparte": "070",
    "name": "Rechtsschutz Baustein",
    "description": "Rechtsschutzversicherung mit frei wählbaren Bausteinen",
    "tax_rate": TAX_RATE,
    "payment_surcharges": PAYMENT_SURCHARGES,
    "questions": [
        _module("private", "Privat"),
        _module("job", "Beruf"),
        _module("traffic", "Verkehr"),
        _module("home", "Wohnen"),
        {"name": "deductible", "label": "Selbstbeteiligung", "type": "choice",
         "choices": euro_choices(0, 150, 250, 500), "required": False,
         "default": "150"},
    ],
    "constraints": [
        {"kind": "at_least_one",
         "questions": ["private", "job", "traffic", "home"],
         "message": "Bitte mindestens einen Baustein wählen "
                    "(Privat, Beruf, Verkehr oder Wohnen)"},
        {"kind": "requires", "question": "job", "requires": "private",
         "message": "Beruf ist nur zusammen mit Privat versicherbar"},
    ],
    "versions": [
        {"version": "2024-01", "valid_from": "2024-01-01", "rules": [
            # Annual amount per module in €.
            {"kind": "amount", "label": "Privat", "if": "private",
             "amount": "120.00"},
            {"kind": "amount", "label": "Beruf", "if": "job",
             "amount": "60.00"},
            {"kind": "amount", "label": "Verkehr", "if": "traffic",
             "amount": "50.00"},
            {"kind": "amount", "label": "Wohnen", "if": "home",
             "amount": "70.00"},
            {"kind": "discount", "label": "Selbstbeteiligung",
             "percent": {"by": "deductible", "table": {
                 0: "0", 150: "10", 250: "15", 500: "25"}}},
            {"kind": "minimum", "label": "Mindestbeitrag", "amount": "45.00"},
        ]},
    ],
}
