"""Every refusal of the core is a CoreError, and each adapter answers every one in its one place.

The table below builds one of each; a new refusal class that is not in it
fails the first test, so it cannot reach an adapter unmapped.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil

import pytest

import bipro.core
from bipro.core import errors
from bipro.core.errors import CoreError, Problem
from bipro.core.tariff.quotes import Refusal
from bipro.soap.faults import PROCESSING_ERROR, fault_for
from portal import create_app

SAMPLES = {
    "CoreError": lambda cls: cls("Nicht möglich, weil."),
    "AccountLocked": lambda cls: cls("Gesperrt.", dt.datetime(2030, 1, 1)),
    "ValidationFailed": lambda cls: cls([Problem("Name", "Der Name fehlt.")]),
    "ListQueryError": lambda cls: cls("Unbekannte Sparte: 999"),
    "SearchTooLong": lambda cls: cls("Der Suchbegriff ist zu lang."),
    "ExportTooLarge": lambda cls: cls("Höchstens 5.000 Zeilen.", 5000),
    "UnknownProduct": lambda cls: cls("XY-TARIF"),
    "RiskDataInvalid": lambda cls: cls([Problem("flaeche", "Bitte eine Zahl.", "type")]),
    "UnsupportedFile": lambda cls: cls("Die Datei ist kein PDF.", "file"),
    "QuotesRefused": lambda cls: cls([Refusal(0, "XY-TARIF", no_tariff="Produkt „XY-TARIF“ ist unbekannt")]),
}


def refusal_classes() -> list[type]:
    found = set()
    for module in pkgutil.walk_packages(bipro.core.__path__, "bipro.core."):
        for _, value in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if issubclass(value, BaseException) and value.__module__.startswith("bipro.core"):
                found.add(value)
    return sorted(found, key=lambda cls: cls.__qualname__)


def sample(cls: type) -> CoreError:
    make = SAMPLES.get(cls.__name__) or next(
        (SAMPLES[base.__name__] for base in cls.__mro__ if SAMPLES.get(base.__name__)), None)
    return make(cls)


# Not refusals: a broken product catalogue, a GDV file read by the CLI, internal signals.
NOT_REFUSALS = {"TariffDataError", "GdvReadError", "GdvFormatError", "BudgetSpent", "ContentTruncated",
                "SecretUnreadable", "InvalidAnswer"}


def test_every_exception_of_the_core_is_a_refusal_or_named_as_none():
    strays = [cls.__qualname__ for cls in refusal_classes()
              if not issubclass(cls, CoreError) and cls.__name__ not in NOT_REFUSALS]
    assert strays == []


@pytest.mark.parametrize("cls", [c for c in refusal_classes() if issubclass(c, CoreError)],
                         ids=lambda cls: cls.__name__)
def test_the_soap_layer_answers_every_refusal_as_the_callers_fault(cls):
    refusal = sample(cls)
    fault = fault_for(refusal)
    assert fault.client_error, cls
    assert fault.meldungen and all(m.text for m in fault.meldungen)
    generic = not isinstance(refusal, (errors.NotFound, errors.ValidationFailed))
    if generic and fault.meldungen[0].code == PROCESSING_ERROR:
        assert fault.meldungen[0].text == refusal.message  # its own German words, not a generic one


@pytest.fixture(scope="module")
def portal_app(gateway):
    app = create_app(gateway, {"TESTING": True, "PROPAGATE_EXCEPTIONS": False})
    raised = {}

    @app.get("/_refusal/<name>")
    def refuse(name):
        raise raised[name]

    return app, raised


@pytest.mark.parametrize("cls", [c for c in refusal_classes() if issubclass(c, CoreError)],
                         ids=lambda cls: cls.__name__)
def test_the_portal_answers_every_refusal_with_a_german_page(portal_app, cls):
    app, raised = portal_app
    refusal = raised[cls.__name__] = sample(cls)
    answer = app.test_client().get(f"/_refusal/{cls.__name__}")
    assert 400 <= answer.status_code < 500, cls
    page = answer.get_data(as_text=True)
    if not isinstance(refusal, errors.NotFound) and refusal.message:
        assert refusal.message.split(";")[0].strip()[:20] in page.replace("&#34;", '"')
