"""Shared by the list page tests: logged-in clients, the core's rows, reading the page."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import text

from bipro.core.search import ListQuery, fetch_page, iter_rows
from tests.support.callers import of_broker
from tests.support.list_reference import build_reference
from tests.support.pages import clean, table_rows


@pytest.fixture(scope="module")
def demo(clients):
    return clients["demo"]


def core_rows(gateway, spec, broker_id=1, **query):
    """Every row the core returns for the query, as shown (German texts)."""
    with gateway.db.session() as session:
        return [list(spec.display(row))
                for row in iter_rows(session, of_broker(broker_id), spec, ListQuery(limit=None, **query))]


def core_page(gateway, spec, broker_id=1, **query):
    with gateway.db.session() as session:
        return fetch_page(session, of_broker(broker_id), spec, ListQuery(**query))


def shown_rows(doc) -> list[list[str]]:
    """The list's body rows without the AKTION cell."""
    return [cells[:-1] for cells in table_rows(doc, '//table[@id="liste"]') if len(cells) > 1]


def info(doc) -> str:
    return clean(doc.get_element_by_id("list-info").text_content())


def pager(doc) -> list[str]:
    return [clean(li.text_content()) for li in doc.xpath('//nav[@class="pager"]//li')]


def header_link(doc, header: str) -> dict[str, list[str]]:
    link = doc.xpath(f'//table[@id="liste"]//th/a[span[1]="{header}"]')[0]
    return parse_qs(urlsplit(link.get("href")).query)


def link_args(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def sql(gateway, statement: str, **params):
    with gateway.db.engine.connect() as conn:
        return conn.execute(text(statement), params).all()


@pytest.fixture(scope="module")
def list_reference(gateway):
    """Both demo brokers' rows as the manual's rules see them (tests/support/list_reference.py)."""
    return build_reference(gateway)


@pytest.fixture
def list_session(gateway):
    """A session on the module's gateway, committed when the test ends."""
    with gateway.db.session() as session:
        yield session
