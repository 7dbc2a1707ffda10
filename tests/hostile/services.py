"""Cases generated for every service in the registry, so a new service is covered by itself."""

from __future__ import annotations

from lxml import etree

from bipro.soap.namespaces import WST
from bipro.soap.sts import PATH as STS_PATH
from tests.hostile.case import BODY_INVALID, INJECTIONS, MALFORMED_SCT, NOT_OFFERED, Case, envelope, fault
from tests.hostile.wsdl_fields import Leaf, SchemaSet
from tests.support.soapraw import sct_header

# Values for typed fields: impossible dates, numbers beyond any column, text where numbers go.
TYPED = {
    "date": ["2023-02-30", "0000-00-00", "99999-12-31"],
    "dateTime": ["2023-02-30T25:61:61", "2023-13-01T00:00:00+99:99"],
    "decimal": ["1e400", "-99999999999999999999999999999.999", "NaN"],
    "int": ["99999999999999999999", "-2147483649", "1.5"],
    "integer": ["99999999999999999999999999999999", "-0x10"],
    "long": ["9223372036854775808"], "short": ["40000"], "boolean": ["vielleicht", "2"],
}
TYPED["nonNegativeInteger"] = TYPED["positiveInteger"] = TYPED["integer"]


def registered(applications: dict) -> list[tuple[str, object]]:
    """(path, SoapGuard) of every registered SOAP service, STS first."""
    return sorted(applications.items(), key=lambda item: (item[0] != STS_PATH, item[0]))


def structural_cases(path: str, guard, token: str) -> list[Case]:
    """Cases every service must answer alike: unknown operations, broken tokens."""
    namespace = next(iter(guard.operations.values()), WST)
    header = sct_header(token) if path != STS_PATH else ""
    cases = [
        fault("unknown_operation", envelope(f'<x:gibMirAlles xmlns:x="{namespace}"/>', header), NOT_OFFERED),
        fault("unknown_operation_unqualified", envelope("<gibMirAlles/>", header), NOT_OFFERED),
        fault("operation_name_in_wrong_namespace", envelope(
            f'<x:{next(iter(guard.operations), "op")} xmlns:x="urn:fremd"/>', header), NOT_OFFERED, BODY_INVALID),
        fault("unknown_operation_sql_name", envelope(
            f'<x:select_all_from_users xmlns:x="{namespace}"/>', header), NOT_OFFERED),
    ]
    if path != STS_PATH:
        first = next(iter(guard.operations))
        body = f'<x:{first} xmlns:x="{namespace}"/>'
        cases += [
            fault("huge_token_identifier", envelope(body, sct_header("bipro:" + "A" * 2_000_000)), MALFORMED_SCT),
            fault("token_identifier_sql", envelope(body, sct_header("bipro:' OR 1=1 --")), MALFORMED_SCT),
            fault("token_identifier_script", envelope(body, sct_header("&lt;script&gt;x&lt;/script&gt;")),
                  MALFORMED_SCT),
        ]
    return [_on(path, c) for c in cases]


def field_cases(path: str, guard, token: str) -> list[Case]:
    """For each request field of each operation: SQL/script text, and odd values where typed."""
    if path == STS_PATH or guard.wsdl_path is None:
        return []  # the STS fields are covered one by one in envelope_cases
    schemas = SchemaSet(guard.wsdl_path)
    cases = []
    for operation in schemas.operations():
        op_name = etree.QName(operation.element).localname
        for leaf in operation.leaves:
            for key, value in _values(leaf):
                request = schemas.request(operation, leaf, value)
                body = envelope(etree.tostring(request, encoding="unicode"), sct_header(token))
                name = f"{op_name}_{'_'.join(etree.QName(p).localname for p in leaf.path)}_{key}"
                # Any Meldung will do, or a normal answer: a search for "' OR 1=1 --" may find nothing.
                cases.append(_on(path, Case(name, body.encode("utf-8"), frozenset(), answer_ok=True)))
    return cases


def _values(leaf: Leaf):
    yield from INJECTIONS.items()
    for i, value in enumerate(TYPED.get(leaf.builtin, [])):
        yield f"{leaf.builtin}{i}", value
    if leaf.enumeration:
        yield "not_in_enumeration", "ZZ-" + leaf.enumeration[0]


def _on(path: str, case: Case) -> Case:
    return Case(**{**case.__dict__, "name": f"{path.rsplit('/', 2)[-2]}:{case.name}", "path": path})
