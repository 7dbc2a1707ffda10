"""Broken HTTP, broken envelopes, odd encodings and hostile values in the STS request fields."""

from __future__ import annotations

from bipro.soap.namespaces import SOAP12ENV, SOAPENV, TOKEN_TYPE_SCT, WST
from tests.hostile.case import (
    AUTH_FAILED,
    BODY_INVALID,
    INCOMPLETE,
    INJECTIONS,
    NOT_OFFERED,
    UNKNOWN_LOGIN,
    WRONG_REQUEST_TYPE,
    WRONG_TOKEN_TYPE,
    Case,
    fault,
    rst,
    sts,
    username_header,
    xml_escape,
)

MEGABYTE = 1024 * 1024


def http_cases() -> list[Case]:
    """Requests that never were SOAP: refused by method or media type, before any parsing."""
    body = sts().encode()
    cases = [Case(f"method_{m.lower()}", body, status=405, method=m)
             for m in ("GET", "PUT", "DELETE", "PATCH", "OPTIONS")]
    cases += [
        Case("content_type_json", body, status=415, content_type="application/json"),
        Case("content_type_missing", body, status=415, content_type=None),
        Case("content_type_html", body, status=415, content_type="text/html"),
        Case("content_type_form", b"a=1&b=2", status=415, content_type="application/x-www-form-urlencoded"),
        Case("content_type_multipart", body, status=415, content_type="multipart/form-data; boundary=x"),
    ]
    return cases


def envelope_cases() -> list[Case]:
    soap12 = (f'<env:Envelope xmlns:env="{SOAP12ENV}"><env:Header>{username_header()}</env:Header>'
              f"<env:Body>{rst()}</env:Body></env:Envelope>")
    return [
        fault("empty_body", b""),
        fault("whitespace_body", b" \r\n\t "),
        fault("not_xml", b'{"RequestSecurityToken": {"TokenType": "sct"}}'),
        fault("html_page", b"<!DOCTYPE html><html><body><form></form></body></html>"),
        fault("truncated_body", sts()[:-40]),
        fault("truncated_in_tag", sts()[: len(sts()) // 2]),
        fault("invalid_utf8", sts(header=username_header(login="demo")).encode().replace(b"demo", b"d\xc3\x28mo")),
        fault("lone_surrogate_bytes", sts().encode().replace(b"falsch", b"\xed\xa0\x80")),
        fault("nul_character_reference", sts(header=username_header(login="de&#0;mo"))),
        fault("control_character_reference", sts(header=username_header(login="de&#x1;mo"))),
        fault("raw_control_bytes", sts().encode().replace(b"falsch", b"fa\x01\x02lsch")),
        fault("unknown_encoding_declared", sts(prolog='<?xml version="1.0" encoding="x-boese-99"?>')),
        fault("soap12_envelope", soap12, BODY_INVALID, faultcode="soapenv:VersionMismatch"),
        fault("soap12_content_type", soap12, BODY_INVALID, faultcode="soapenv:VersionMismatch",
              content_type="application/soap+xml; charset=utf-8"),
        fault("wrong_envelope_namespace", sts().replace(SOAPENV, "http://example.org/not-soap/")),
        fault("envelope_without_namespace", sts().replace(f'xmlns:soapenv="{SOAPENV}"', "")
              .replace("soapenv:", "")),
        fault("root_is_the_message", rst()),
        fault("no_body", f'<soapenv:Envelope xmlns:soapenv="{SOAPENV}"><soapenv:Header/></soapenv:Envelope>'),
        fault("two_bodies", sts().replace("</soapenv:Envelope>", f"<soapenv:Body>{rst()}</soapenv:Body>"
                                                                   "</soapenv:Envelope>")),
        fault("header_after_body", f'<soapenv:Envelope xmlns:soapenv="{SOAPENV}"><soapenv:Body>{rst()}'
                                   f"</soapenv:Body><soapenv:Header>{username_header()}</soapenv:Header>"
                                   "</soapenv:Envelope>"),
        fault("two_headers", sts().replace("<soapenv:Header>", "<soapenv:Header/><soapenv:Header>")),
        fault("soap_fault_element_in_envelope", sts().replace(
            "<soapenv:Body>", "<soapenv:Fault><faultcode>x</faultcode></soapenv:Fault><soapenv:Body>")),
        fault("fault_as_request", sts("<soapenv:Fault><faultcode>soapenv:Server</faultcode>"
                                      "<faultstring>x</faultstring></soapenv:Fault>")),
        fault("envelope_in_body", sts(sts())),
        fault("header_element_in_body", sts("<soapenv:Header/>")),
        fault("two_messages", sts(rst(token_type="urn:falsch") + rst())),
        fault("empty_soap_body", sts("")),
        fault("text_beside_message", sts("Guten Tag" + rst(token_type="urn:falsch"))),
        fault("cdata_in_body", sts("<![CDATA[<wst:RequestSecurityToken/>]]>" + rst(token_type="urn:falsch"))),
        fault("cdata_in_envelope", sts().replace("<soapenv:Header>", "<![CDATA[x]]><soapenv:Header>")),
        fault("text_after_envelope", sts() + "Nachtrag"),
        fault("second_root_element", sts() + sts()),
        fault("unknown_operation", sts(f'<wst:GibMirAlles xmlns:wst="{WST}"/>'), NOT_OFFERED),
        fault("unknown_operation_no_namespace", sts("<GibMirAlles/>"), NOT_OFFERED),
        fault("operation_in_foreign_namespace", sts('<x:RequestSecurityToken xmlns:x="urn:fremd"/>'),
              NOT_OFFERED, BODY_INVALID),
        fault("must_understand_header", sts(header='<x:Pflicht xmlns:x="urn:fremd" soapenv:mustUnderstand="1"/>'
                                                   + username_header()), WRONG_TOKEN_TYPE, BODY_INVALID),
        fault("xsi_type_on_message", sts(rst(token_type="urn:falsch", attrs='xmlns:xsi="http://www.w3.org/2001/'
                                                   'XMLSchema-instance" xsi:type="xsd:string"')),
              WRONG_TOKEN_TYPE, BODY_INVALID),
        fault("comments_everywhere", sts(rst(token_type=f"<!-- a -->{TOKEN_TYPE_SCT[:10]}<!-- b -->"
                                             f"{TOKEN_TYPE_SCT[10:]}", request_type="urn:<!-- c -->falsch"),
                                         prolog="<!-- vorab -->").replace("<soapenv:Body>", "<soapenv:Body><!-- x -->"),
              WRONG_REQUEST_TYPE),
        fault("cdata_split_request_type", sts(rst(request_type="<![CDATA[urn:]]><![CDATA[falsch]]>")),
              WRONG_REQUEST_TYPE),
        fault("soap_action_of_another_service", sts(), WRONG_TOKEN_TYPE,
              headers={"SOAPAction": '"urn:acknowledgeShipment"'}),
        fault("soap_action_garbage", sts(), WRONG_TOKEN_TYPE, headers={"SOAPAction": "\"' OR 1=1 --\""}),
    ]


def encoding_cases() -> list[Case]:
    """Unusual but legal encodings: they must be understood far enough to fail on the TokenType."""
    text = sts()
    return [
        fault("utf8_bom", b"\xef\xbb\xbf" + text.encode(), WRONG_TOKEN_TYPE),
        fault("utf16_le_bom", ('<?xml version="1.0" encoding="UTF-16"?>' + text).encode("utf-16"), WRONG_TOKEN_TYPE),
        fault("utf16_be_without_declaration", "\ufeff".encode("utf-16-be") + text.encode("utf-16-be"),
              WRONG_TOKEN_TYPE),
        fault("latin1_declared", ('<?xml version="1.0" encoding="ISO-8859-1"?>'
                                  + sts(header=username_header(login="Müller"))).encode("latin-1"),
              WRONG_TOKEN_TYPE),
        fault("charset_header_contradicts_body", text, WRONG_TOKEN_TYPE, content_type="text/xml; charset=utf-16"),
        fault("xml_version_1_1", sts(prolog='<?xml version="1.1"?>'), WRONG_TOKEN_TYPE, BODY_INVALID),
    ]


def field_cases() -> list[Case]:
    """SQL- and script-looking values in every text field of the STS request.

    TokenType and RequestType are checked before any password check. Username
    and Password reach it (that is the point): the login is unknown, so the
    only trace is one ``login_failed`` audit row holding the literal login.
    """
    cases = []
    for key, value in INJECTIONS.items():
        v = xml_escape(value)
        cases += [
            fault(f"username_{key}", sts(rst(), username_header(login=v)), AUTH_FAILED, login=value),
            fault(f"password_{key}", sts(rst(), username_header(password=v)), AUTH_FAILED, login=UNKNOWN_LOGIN),
            fault(f"token_type_{key}", sts(rst(token_type=v)), WRONG_TOKEN_TYPE),
            fault(f"request_type_{key}", sts(rst(request_type=v)), WRONG_REQUEST_TYPE),
        ]
    lifetime = ('<wst:Lifetime><wsu:Created xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-'
                'wss-wssecurity-utility-1.0.xsd">2023-02-30T25:61:00Z</wsu:Created></wst:Lifetime>')
    cases += [
        fault("huge_password", sts(rst(), username_header(password="p" * MEGABYTE)), AUTH_FAILED, INCOMPLETE,
              login=UNKNOWN_LOGIN),
        fault("huge_username", sts(rst(), username_header(login="u" * MEGABYTE)), INCOMPLETE, AUTH_FAILED),
        fault("username_with_newlines_and_tabs", sts(rst(), username_header(login="a\r\nb\tc")),
              AUTH_FAILED,
              login="a\ufffdb\ufffdc"),  # audited without its control characters
        fault("impossible_dates_in_request", sts(rst(extra=lifetime), username_header()), AUTH_FAILED,
              login=UNKNOWN_LOGIN),
        fault("number_out_of_range_version", sts(rst(
            token_type="urn:falsch", extra='<nac:BiPROVersion xmlns:nac="http://www.bipro.net/namespace/nachrichten">'
                                           "99999999999999999999999999.1e400</nac:BiPROVersion>")), WRONG_TOKEN_TYPE),
    ]
    return cases


def all_cases() -> list[Case]:
    return http_cases() + envelope_cases() + encoding_cases() + field_cases()
