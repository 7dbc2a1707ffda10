"""Hostile and broken SOAP requests over real HTTP: every one gets a BiPRO fault (or 405/413/415),
within a second, without touching the database, the disk or the network, and the gateway keeps serving.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bipro.soap.registry import soap_applications
from tests.hostile import envelope_cases, services, xml_attacks
from tests.hostile.case import Case, sts
from tests.hostile.checks import health_problems, run_case
from tests.hostile.traps import Traps
from tests.support.bipro_client import request_token

MEGABYTE = 1024 * 1024


def _chunks(total: int, piece: bytes = b"x" * 65536, head: bytes = b"", tail: bytes = b""):
    """A body of *total* bytes produced piece by piece, so the client never holds it whole."""

    def generate():
        yield head
        left = total - len(head) - len(tail)
        while left > 0:
            yield piece[:left]
            left -= len(piece)
        yield tail

    return generate


def streamed_cases() -> list[Case]:
    """Bodies sent chunked (no Content-Length): the gateway reads at most its limit plus one byte."""
    text_open = sts().split("<wsse:Username>")[0].encode() + b"<wsse:Username>"
    return [
        Case("chunked_small", lambda: iter([sts().encode()[:100], sts().encode()[100:]]),
             frozenset({"00910"})),
        Case("chunked_50mb", _chunks(50 * MEGABYTE, b"<a>" * 20000), status=413),
        Case("chunked_20mb_text_node", _chunks(20 * MEGABYTE, head=text_open), status=413),
    ]


def static_cases(traps) -> list[Case]:
    return (xml_attacks.all_cases(traps) + envelope_cases.all_cases() + streamed_cases())


_PLACEHOLDER_TRAPS = SimpleNamespace(evil_base="http://127.0.0.1:9", fifo="/nonexistent", fifo_url="file:///x",
                                     secret_url="file:///y")
CASE_NAMES = [case.name for case in static_cases(_PLACEHOLDER_TRAPS)]


@pytest.fixture(scope="module")
def traps(tmp_path_factory):
    trap = Traps(tmp_path_factory.mktemp("traps"))
    yield trap
    trap.close()


@pytest.fixture(scope="module")
def corpus(traps) -> dict[str, Case]:
    return {case.name: case for case in static_cases(traps)}


@pytest.fixture(scope="module")
def token(base_url) -> str:
    # Issued before any case takes its snapshot, so issuing it changes no case's tables.
    return request_token(base_url)


def test_corpus_is_large_and_names_are_unique():
    assert len(CASE_NAMES) == len(set(CASE_NAMES))
    assert len(CASE_NAMES) >= 60


@pytest.mark.parametrize("name", CASE_NAMES)
def test_hostile_request(name, corpus, base_url, gateway, traps):
    assert run_case(base_url, gateway.db, traps, corpus[name]) == []


def test_every_registered_service(base_url, gateway, traps, token):
    """Unknown operations, broken tokens and hostile field values, for each service in the registry."""
    applications = services.registered(soap_applications(gateway))
    cases = []
    for path, guard in applications:
        cases += services.structural_cases(path, guard, token)
        cases += services.field_cases(path, guard, token)
    assert len(cases) >= 4 * len(applications)
    failures = {case.name: problems for case in cases
                if (problems := run_case(base_url, gateway.db, traps, case))}
    assert failures == {}


def test_still_serving_afterwards(base_url, traps):
    assert health_problems(base_url) == []
    assert request_token(base_url).startswith("bipro:")
    assert traps.connections == 0
