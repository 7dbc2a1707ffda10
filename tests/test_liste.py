"""Norm 480: WS-Enumeration searches page through every hit once, contexts are private and expire."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from lxml import etree
from sqlalchemy import func, select, update
from zeep.exceptions import Fault

from bipro.core.accounts import create_user
from bipro.core.enumeration import context_hash
from bipro.soap.namespaces import ENU, LISTE, NAC, PART, VERT, q
from store.models import Contract, Customer, EnumerationContext
from tests.support import soapraw
from tests.support.bipro_client import request_token, service_client
from tests.support.portfolio_services import assert_valid, fault_meldungen

LISTE_PATH = "/bipro/480_Liste/Service_2.6.1.1.0"
PARTNER_DIALECT = "http://www.bipro.net/namespace/kontext/partner"
VERTRAG_DIALECT = "http://www.bipro.net/namespace/kontext/vertrag"


@pytest.fixture(scope="module")
def tokens(base_url, gateway):
    with gateway.db.session() as s:
        _, password = create_user(s, gateway.settings, "100100", "Zweite Kollegin", "zwei@example.org",
                                  login="demo-zweite")
    return {"demo": request_token(base_url, "demo"), "demo2": request_token(base_url, "demo2"),
            "colleague": request_token(base_url, "demo-zweite", password)}


@pytest.fixture(scope="module")
def client(base_url, tokens):
    return service_client(base_url, LISTE_PATH, tokens["demo"])


def _filter(dialect, **fields):
    elements = []
    for name, value in fields.items():
        element = etree.Element(q(LISTE, name))
        element.text = value
        elements.append(element)
    return {"Dialect": dialect, **{name: value for name, value in fields.items()}}


def _common_last_name(gateway, minimum=7):
    with gateway.db.session() as s:
        return s.execute(select(Customer.last_name).where(Customer.broker_id == 1)
                         .group_by(Customer.last_name).having(func.count() >= minimum)
                         .order_by(func.count().desc())).scalars().first()


def _expected_partner_numbers(gateway, broker_id, last_name):
    """Every customer of the broker whose surname contains the term, upper and lower case alike."""
    with gateway.db.session() as s:
        rows = s.scalars(select(Customer).where(Customer.broker_id == broker_id)).all()
    return {c.partner_number for c in rows if last_name.lower() in c.last_name.lower()}


def _all_pages(client, first):
    """Partner numbers or policy numbers of every page, following the context to the end."""
    pages = [first]
    while pages[-1].EnumerationContext:
        assert pages[-1].EndOfSequence is None
        pages.append(client.service.Pull(Request={"EnumerationContext": pages[-1].EnumerationContext}))
    assert pages[-1].EndOfSequence is not None
    return pages


def _numbers(pages):
    found = []
    for page in pages:
        for item in page.Items._value_1 or []:
            hit = next(iter(item.values()))
            found.append(hit.Partnernummer if hasattr(hit, "Anschrift") else
                         hit.Vertragsnummer.Versicherungsscheinnummer)
    return found
