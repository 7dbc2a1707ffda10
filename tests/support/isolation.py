"""Tenant isolation cases: which ids each portal route and BiPRO operation takes.

A new portal route with a URL parameter, or a new BiPRO operation, is caught
by the enumeration tests in ``tests/test_isolation.py`` until it gets a line
here: add the parameter's kind to ``PORTAL_IDS`` (or the endpoint to
``PORTAL_EXEMPT`` with the reason), and the operation to ``SOAP_CASES`` (or to
``SOAP_WITHOUT_ID`` with the reason).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from bipro.soap import extranet, liste, partner, sts, taa, transfer, vertrag
from bipro.soap.faults import NO_SUCH_SHIPMENT, OBJECT_NOT_FOUND
from store.base import utcnow
from store.models import Contract, Customer, Document, Shipment

# --- the ids of one broker, by kind ---------------------------------------------

def _first(session: Session, query) -> str:
    value = session.scalars(query.limit(1)).first()
    assert value is not None, f"demo data lacks {query}"
    return str(value)


def _customer(session, broker_id):
    # A customer with contracts, so a customer page would show the most.
    return _first(session, select(Customer.partner_number).join(Contract, Contract.customer_id == Customer.id)
                  .where(Customer.broker_id == broker_id).order_by(Customer.id))


def _contract(session, broker_id):
    return _first(session, select(Contract.policy_number).where(Contract.broker_id == broker_id)
                  .order_by(Contract.id))


def _document(session, broker_id):
    return _first(session, select(Document.id).where(Document.broker_id == broker_id,
                                                     Document.read_at.is_(None)).order_by(Document.id))


def _shipment(session, broker_id):
    return _first(session, select(Shipment.public_id).where(
        Shipment.broker_id == broker_id, Shipment.acknowledged_at.is_(None),
        Shipment.available_until > utcnow()).order_by(Shipment.id))


# kind -> (one id of the broker, an id that exists for nobody)
ID_KINDS = {
    "customer": (_customer, "99999999"),
    "contract": (_contract, "999-99999999"),
    "document": (_document, "987654321"),
    "shipment": (_shipment, "LFFFFFFFFFFFFFFFFFFFF"),
}


def ids_of(session: Session, broker_id: int) -> dict[str, str]:
    return {kind: find(session, broker_id) for kind, (find, _unknown) in ID_KINDS.items()}


def unknown_ids() -> dict[str, str]:
    return {kind: unknown for kind, (_find, unknown) in ID_KINDS.items()}


def personal_data(session: Session, broker_id: int, ids: dict[str, str]) -> list[str]:
    """Words of the broker's objects that must never show in the other broker's answers."""
    customer = session.scalar(select(Customer).where(Customer.partner_number == ids["customer"]))
    contract = session.scalar(select(Contract).where(Contract.policy_number == ids["contract"]))
    holder = session.get(Customer, contract.customer_id)
    document = session.get(Document, int(ids["document"]))
    words = [customer.street, customer.email, customer.phone, f"{customer.first_name} {customer.last_name}",
             f"{holder.first_name} {holder.last_name}", holder.street, document.file_name, document.sha1,
             customer.birth_date.strftime("%d.%m.%Y") if customer.birth_date else ""]
    return [w for w in words if w and len(w) >= 5]


# --- portal ------------------------------------------------------------------------

# URL parameter name -> id kind. A route is covered when all its parameters are here.
PORTAL_IDS = {
    "partner_number": "customer",
    "policy_number": "contract",
    "document_id": "document",
}

# Endpoints with a parameter that is not a broker's object, and where they are tested.
PORTAL_EXEMPT = {
    "static": "public files of the portal, no data",
    "auth.reset_password": "the reset token: test_reset_link_changes_only_its_own_users_password",
    "tariff.calculate": "a product of the insurer's catalogue, the same for every broker",
    "tariff.offer": "a product of the insurer's catalogue, the same for every broker",
}

# Pages without a URL parameter that show the caller's own objects, and the test of their scoping.
# ``tests/test_isolation.py`` opens each as the other broker and looks for the owner's
# contract numbers and document links.
PORTAL_OWN_LISTS = {
    "dashboard.index": "test_portal_dashboard: every figure per broker by independent SQL",
    "customers.index": "test_portal_lists: rows by independent SQL for demo and demo2",
    "contracts.index": "test_portal_lists: rows by independent SQL for demo and demo2",
    "inbox.index": "test_portal_inbox: test_another_brokers_document_is_not_found",
    "audit.index": "test_audit_log: test_protokoll_never_shows_another_brokers_events",
    "bipro_access.index": "test_bipro_access: test_other_broker_cannot_touch_an_access",
}

# Pages without a URL parameter that show no broker's objects, or only the caller's own
# profile, or a download of an own list (checked by the list tests).
PORTAL_NO_OBJECTS = {
    "auth.login": "the login form",
    "auth.forgot_password": "asks for a login name, tells nothing",
    "profile.user_profile": "the caller's own user",
    "profile.broker_profile": "the caller's own broker",
    "profile.change_password": "the caller's own password",
    "second_factor.index": "the caller's own second factor",
    "auth.second_factor_step": "asks for the code of the login in progress, tells nothing",
    "tariff.index": "the insurer's catalogue",
    "customers.data": "JSON of customers.index: test_portal_lists_json",
    "contracts.data": "JSON of contracts.index: test_portal_lists_json",
    **{f"{lst}.export_{kind}": "an export of the own list: test_portal_list_exports"
       for lst in ("customers", "contracts") for kind in ("drucken", "kopieren", "excel", "csv", "pdf")},
}


def unlisted_pages(app) -> list[str]:
    """GET routes without a parameter that are in neither registry."""
    return [f"{rule.rule} ({rule.endpoint})" for rule in app.url_map.iter_rules()
            if not rule.arguments and "GET" in rule.methods
            and rule.endpoint not in PORTAL_OWN_LISTS and rule.endpoint not in PORTAL_NO_OBJECTS]


def listed_objects(session: Session, broker_id: int) -> list[str]:
    """Texts that only the broker's own pages may show: contract numbers and document links."""
    policies = session.scalars(select(Contract.policy_number).where(Contract.broker_id == broker_id)
                               .order_by(Contract.id).limit(50))
    documents = session.scalars(select(Document.id).where(Document.broker_id == broker_id))
    return list(policies) + [f'href="/posteingang/{d}"' for d in documents]


CSRF_VALUE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*(")|(value=")[^"]*("[^>]*name="csrf_token")')


def without_csrf(html: str) -> str:
    """A page with its CSRF token blanked, to compare two pages of different requests."""
    return CSRF_VALUE.sub(lambda m: (m.group(1) or m.group(3)) + (m.group(2) or m.group(4)), html)


def comparable(html: str, url: str, ids: dict[str, str]) -> str:
    """A page without its CSRF token, its own URL and (long, so unambiguous) ids it may echo."""
    html = without_csrf(html).replace(url, "")
    for value in ids.values():
        if len(value) >= 6:
            html = html.replace(value, "")
    return html


def portal_routes(app) -> list:
    """Every rule with a URL parameter that is not exempt."""
    return [rule for rule in app.url_map.iter_rules() if rule.arguments and rule.endpoint not in PORTAL_EXEMPT]


def uncovered_routes(app) -> list[str]:
    return [f"{rule.rule} ({rule.endpoint})" for rule in portal_routes(app)
            if not rule.arguments <= PORTAL_IDS.keys()]


def route_url(rule, ids: dict[str, str]) -> str:
    """The rule's URL with every parameter taken from *ids* (by kind)."""
    values = {name: ids[PORTAL_IDS[name]] for name in rule.arguments}
    for name, converter in rule._converters.items():
        if converter.__class__.__name__ in ("IntegerConverter", "NumberConverter"):
            values[name] = int(values[name])
    return rule.build(values, append_unknown=False)[1]


# --- BiPRO ---------------------------------------------------------------------------

@dataclass(frozen=True)
class SoapCase:
    """One id-taking request: the field that carries the id and the not-found Meldung."""

    path: str
    operation: str
    namespace: str
    field: str
    kind: str
    not_found: str

    @property
    def name(self) -> str:
        return f"{self.path.split('/')[2]}:{self.operation}:{self.field}"

    def body(self, value: str) -> str:
        ns = self.namespace
        return (f'<x:{self.operation} xmlns:x="{ns}"><x:Request><x:{self.field}>{value}</x:{self.field}>'
                f"</x:Request></x:{self.operation}>")


def _cases(path, namespace, operation, *fields) -> list[SoapCase]:
    return [SoapCase(path, operation, namespace, field, kind, code) for field, kind, code in fields]


def soap_cases() -> dict[tuple[str, str], list[SoapCase]]:
    from bipro.soap.namespaces import EXT, PART, TRAN, VERT

    return {
        (transfer.PATH, "getShipment"): _cases(transfer.PATH, TRAN, "getShipment",
                                               ("ID", "shipment", NO_SUCH_SHIPMENT)),
        (transfer.PATH, "acknowledgeShipment"): _cases(transfer.PATH, TRAN, "acknowledgeShipment",
                                                       ("ID", "shipment", NO_SUCH_SHIPMENT)),
        (partner.PATH, "getData"): _cases(partner.PATH, PART, "getData",
                                          ("Partnernummer", "customer", OBJECT_NOT_FOUND)),
        (vertrag.PATH, "getData"): _cases(vertrag.PATH, VERT, "getData",
                                          ("Versicherungsscheinnummer", "contract", OBJECT_NOT_FOUND)),
        (extranet.PATH, "getLinks"): _cases(extranet.PATH, EXT, "getLinks",
                                            ("Partnernummer", "customer", OBJECT_NOT_FOUND),
                                            ("Versicherungsscheinnummer", "contract", OBJECT_NOT_FOUND)),
    }


# Operations that take no id of a stored object, and where their scoping is tested.
SOAP_WITHOUT_ID = {
    (sts.PATH, "RequestSecurityToken"): "a login, no stored object",
    (transfer.PATH, "listShipments"): "lists the caller's own: test_lists_show_only_the_callers_shipments",
    (taa.PATH, "getQuote"): "computes a price from the request, reads no portfolio",
    (liste.PATH, "Enumerate"): "searches the caller's own portfolio: test_foreign_broker_search_sees_only_its_own",
    (liste.PATH, "Pull"): "contexts are bound to user and broker: "
                          "test_another_users_context_is_refused_like_an_unknown_one",
    (liste.PATH, "Release"): "contexts are bound to user and broker: "
                             "test_another_users_context_is_refused_like_an_unknown_one",
}


def wsdl_operations(wsdl_path: Path | None) -> set[str]:
    """Operation names of a WSDL's portType(s)."""
    if wsdl_path is None:
        return set()
    tree = etree.parse(str(wsdl_path))
    return {op.get("name") for op in tree.iterfind(
        "{http://schemas.xmlsoap.org/wsdl/}portType/{http://schemas.xmlsoap.org/wsdl/}operation")}
