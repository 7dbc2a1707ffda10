"""The catalogue data is checked when it loads; the core stays framework-free."""
import ast
import copy
import re
from pathlib import Path

import pytest

from bipro.core.tariff import TariffDataError
from bipro.core.tariff.catalogue import Catalogue
from bipro.core.tariff.products.haftpflicht import PRIVATHAFTPFLICHT
from bipro.core.tariff.products.hausrat import HAUSRAT


def _phv():
    return copy.deepcopy(PRIVATHAFTPFLICHT)


def _rules(data):
    return data["versions"][0]["rules"]


def _float_rate(d):
    _rules(d)[-1]["amount"] = 45.0


def _unknown_kind(d):
    _rules(d)[0]["kind"] = "bonus"


def _table_misses_choice(d):
    del _rules(d)[0]["amount"]["table"]["family"]


def _unknown_reference(d):
    _rules(d)[2]["factor"]["by"] = "alter"


def _condition_not_boolean(d):
    _rules(d)[0]["if"] = "family_status"


def _discount_100(d):
    _rules(d)[3]["percent"]["table"][250] = "100"


def _bad_default(d):
    d["questions"][2]["default"] = "200"


def _range_without_message(d):
    del d["derived"][0]["message"]


def _bands_not_ascending(d):
    _rules(d)[2]["factor"]["bands"].reverse()


def _unknown_frequency(d):
    d["payment_surcharges"] = {"1": "0", "12": "5"}


def _overlapping_versions(d):
    second = copy.deepcopy(d["versions"][0])
    second.update(version="2025-01", valid_from="2025-01-01")
    d["versions"].append(second)


@pytest.mark.parametrize("breakage, reason", [
    (_float_rate, "instead of 45.0"),
    (_unknown_kind, "unknown rule kind 'bonus'"),
    (_table_misses_choice, "does not match its choices"),
    (_unknown_reference, "unknown value 'alter'"),
    (_condition_not_boolean, "needs a boolean question"),
    (_discount_100, "discounts lie in"),
    (_bad_default, "bad default"),
    (_range_without_message, "needs a message"),
    (_bands_not_ascending, "must ascend"),
    (_unknown_frequency, "payment frequencies"),
    (_overlapping_versions, "overlap"),
], ids=lambda f: f.__name__.strip("_") if callable(f) else None)
def test_broken_data_fails_on_load(breakage, reason):
    data = _phv()
    breakage(data)
    with pytest.raises(TariffDataError, match=re.escape(reason)):
        Catalogue.from_data([data])


def test_shipped_data_loads():
    assert len(list(Catalogue.from_data([_phv(), copy.deepcopy(HAUSRAT)]))) == 3


def test_adding_a_version_is_a_data_change():
    data = copy.deepcopy(HAUSRAT)
    data["versions"][1]["valid_until"] = "2026-12-31"
    data["versions"].append(dict(data["versions"][1], version="2027-01",
                                 valid_from="2027-01-01", valid_until=None,
                                 name="Hausrat Komfort Plus"))
    products = Catalogue.from_data([data])
    assert [p.name for p in products.versions("HR-KOMFORT")] == [
        "Hausrat Komfort", "Hausrat Komfort", "Hausrat Komfort Plus"]


FORBIDDEN = {"spyne", "flask", "sqlalchemy", "werkzeug", "portal", "store"}
# German formatting and cent rounding: standard library only, shared by every layer.
ALLOWED = {"store.german"}


# The Tarifrechner's use cases beside the engine: they read products and brokers from the database.
TARIFF_USE_CASES = {"offers.py", "quotes.py", "offer_pdf.py"}


def test_tariff_engine_is_pure_python():
    """Rates are data and the engine is arithmetic: no database, no web framework."""
    core = Path(__file__).resolve().parents[1] / "bipro" / "core" / "tariff"
    assert TARIFF_USE_CASES <= {path.name for path in core.glob("*.py")}
    for path in core.rglob("*.py"):
        if path.parent == core and path.name in TARIFF_USE_CASES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name in ALLOWED or name.split(".")[0] not in FORBIDDEN, (path, name)
