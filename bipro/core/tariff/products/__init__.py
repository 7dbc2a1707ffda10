"""The product catalogue of Docura VVaG, as plain data.

Each product is a dict; adding a product or changing a rate means editing
this data, never the engine. Format (see ``hausrat.py`` for a full one)::

    {
        "product_id": "HR-KOMFORT",       # stable across versions
        "sparte": "130",                  # GDV Sparte, three digits
        "name": "Hausrat Komfort",
        "tax_rate": "19",                 # Versicherungsteuer, percent
        "payment_surcharges": {"1": "0", "2": "3", "4": "5", "8": "5"},
        "questions": [...],               # risk questions, see below
        "derived": [...],                 # values computed from answers
        "constraints": [...],             # cross-field rules
        "rules": [...],                   # rating rules, applied in order
        "versions": [                     # each may override any key above
            {"version": "2024-01", "valid_from": "2024-01-01",
             "valid_until": "2025-12-31", "rules": [...]},
            {"version": "2026-01", "valid_from": "2026-01-01", "rules": [...]},
        ],
    }

Question: ``name``, German ``label``, ``type`` (integer, decimal, choice,
boolean, date, text), optional ``required`` (default True), ``default``,
``min``, ``max``, ``step``, ``unit``, ``choices`` as ``[value, label]``
pairs, ``pattern`` and ``pattern_message`` for text, ``help``.

Derived value: ``name``, ``kind`` (multiply, postcode_zone, age,
years_since), ``input``, kind parameters (``factor``, ``bands``), and
optional ``min``/``max`` with a German ``message`` (see ``derive.py``).

Rule: ``kind`` (amount, rate_per_unit, factor, surcharge, discount,
minimum), German ``label``, its parameter (see ``rules.py``) given as a
constant or a lookup (see ``lookup.py``), optional ``"if"`` naming a
boolean question.

Constraint: ``{"kind": "at_least_one", "questions": [...], "message": ...}``
or ``{"kind": "requires", "question": a, "requires": b, "message": ...}``.

Numbers are strings or ints, never floats, so rates stay exact.
Validity dates are inclusive.
"""
from .haftpflicht import PRIVATHAFTPFLICHT
from .hausrat import HAUSRAT
from .rechtsschutz import RECHTSSCHUTZ
from .unfall import UNFALL
from .wohngebaeude import WOHNGEBAEUDE

PRODUCT_DATA = [HAUSRAT, PRIVATHAFTPFLICHT, UNFALL, RECHTSSCHUTZ, WOHNGEBAEUDE]
