"""Fuzzed STS requests and envelopes: the answer is always a token or a BiPRO fault.

Never a 200 with something else, never a stack trace, never HTML. Logins are
drawn so that they match no real account: failures write audit rows, but no
account's failure counter or lock may change.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from sqlalchemy import select

from bipro.soap.namespaces import REQUEST_TYPE_ISSUE, SOAP12ENV, SOAPENV, TOKEN_TYPE_SCT, WSC, WSSE, WST
from store.models import User
from tests.hostile import snapshot
from tests.hostile.case import Case, envelope, rst, username_header, xml_escape
from tests.hostile.checks import NS, Answer, problems_with_answer, send

FUZZ_TIMEOUT = 5.0  # a loose bound: Hypothesis may build large inputs
# Any code point but surrogates, so control characters (illegal in XML 1.0) turn up too.
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)
PREFIXED = {"soapenv": SOAPENV, "env12": SOAP12ENV, "wst": WST, "wsse": WSSE, "wsc": WSC, "x": "urn:fuzz"}


@pytest.fixture(scope="module")
def real_logins(gateway) -> frozenset[str]:
    with gateway.db.session() as session:
        return frozenset(session.scalars(select(User.login)))


def _field(constant: str):
    return st.one_of(st.just(constant), ANY_TEXT, st.sampled_from(["", " ", constant.upper(), constant + "x"]))


def _element(name, attrs, children, text):
    prefix = name.split(":")[0] if ":" in name else None
    declare = f' xmlns:{prefix}="{PREFIXED[prefix]}"' if prefix in PREFIXED else ""
    attributes = "".join(f' {k}="{xml_escape(v)}"' for k, v in attrs.items())
    return f"<{name}{declare}{attributes}>{xml_escape(text)}{''.join(children)}</{name}>"


NAMES = st.sampled_from(["soapenv:Envelope", "soapenv:Header", "soapenv:Body", "env12:Envelope",
                         "wst:RequestSecurityToken", "wst:TokenType", "wst:RequestType", "wsse:Security",
                         "wsse:UsernameToken", "wsse:Username", "wsse:Password", "wsc:Identifier",
                         "x:Irgendwas", "Unqualifiziert"])
ATTRS = st.dictionaries(st.sampled_from(["a", "Type", "b"]), ANY_TEXT, max_size=2)
TREES = st.recursive(
    st.builds(lambda n, t: _element(n, {}, [], t), NAMES, ANY_TEXT),
    lambda kids: st.builds(_element, NAMES, ATTRS, st.lists(kids, max_size=4), ANY_TEXT),
    max_leaves=30,
)


def _judge(answer: Answer) -> list[str]:
    if answer.status == 200:
        tree = etree.fromstring(answer.body)
        identifier = tree.find(f".//{{{WSC}}}Identifier")
        return [] if identifier is not None and identifier.text else [f"200 without a token: {answer.body[:200]!r}"]
    return problems_with_answer(Case("fuzz", b"", frozenset()), answer)


@pytest.fixture(scope="module")
def users_unchanged(gateway):
    before = snapshot.take(gateway.db)
    yield
    after = snapshot.take(gateway.db)
    assert "users" not in before.changed_tables(after)
    assert "security_tokens" not in before.changed_tables(after)


@settings(max_examples=60, deadline=None)
@given(login=ANY_TEXT, password=ANY_TEXT, token_type=_field(TOKEN_TYPE_SCT),
       request_type=_field(REQUEST_TYPE_ISSUE))
def test_fuzzed_sts_fields(base_url, real_logins, users_unchanged, login, password, token_type, request_type):
    if login.strip() in real_logins:
        login = "fuzz-" + login
    body = envelope(rst(xml_escape(token_type), xml_escape(request_type)),
                    username_header(xml_escape(login), xml_escape(password)))
    answer = send(base_url, Case("fuzz", body.encode("utf-8")), timeout=FUZZ_TIMEOUT)
    assert _judge(answer) == []


@settings(max_examples=60, deadline=None)
@given(tree=TREES, wrap=st.booleans())
def test_fuzzed_envelope_structure(base_url, users_unchanged, tree, wrap):
    body = envelope(tree, username_header()) if wrap else tree
    answer = send(base_url, Case("fuzz", body.encode("utf-8")), timeout=FUZZ_TIMEOUT)
    assert _judge(answer) == []
    assert answer.status != 200 or etree.fromstring(answer.body).find("soapenv:Body", NS) is not None
