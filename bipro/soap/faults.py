"""BiPRO Meldungen, the fault exception, and the one mapping from core refusals."""

from __future__ import annotations

from dataclasses import dataclass, field

from bipro.core import errors

# Meldung codes (see the BiPRO facts in the docs).
INCOMPLETE_DATA = "00001"
SCHEMA_INVALID = "00007"
NOT_IMPLEMENTED = "00009"
NO_SOAP_HEADER = "00901"
NO_WS_SECURITY = "00905"
NO_USERNAME_TOKEN = "00908"
NO_SCT_IDENTIFIER = "00909"
WRONG_TOKEN_TYPE = "00910"
WRONG_REQUEST_TYPE = "00911"
NO_SCT = "00917"
NOT_AUTHORIZED = "00920"
MALFORMED_SCT = "00919"
SERVICE_UNAVAILABLE = "00930"
BODY_INVALID = "00931"
PROCESSING_ERROR = "00932"
TEMPORARY_FAULT = "00940"
TOKEN_NOT_ISSUED = "00941"
AUTH_FAILED = "00961"
TOKEN_INVALID = "00962"
ACCOUNT_LOCKED = "00964"
TOO_MANY_FAILURES = "00965"
PASSWORD_EXPIRED = "00966"
INFO_PROVIDED = "01100"
OBJECT_NOT_FOUND = "01101"
QUOTE_CALCULATED = "01005"
RISK_DATA_MISSING = "01003"
NO_TARIFF = "01015"
TRANSFER_OK = "04000"
NO_SHIPMENTS = "04001"
NO_SUCH_SHIPMENT = "04003"
ACK_NOT_POSSIBLE = "04004"
SHIPMENT_EXPIRED = "04006"
OTHER_ERROR = "99999"

ERROR, WARNING, NOTE = "Fehler", "Warnung", "Hinweis"


@dataclass(frozen=True)
class Meldung:
    code: str
    text: str = ""
    art: str = ERROR
    quelle: str = ""


@dataclass
class BiproFault(Exception):
    """Answer the call with a SOAP Fault carrying ``nac:BiproException``."""

    meldungen: list[Meldung]
    client_error: bool = True  # faultcode Client (the request) or Server (us)
    http_status: str = "500 Internal Server Error"
    faultcode: str = field(default="")

    def __post_init__(self) -> None:
        super().__init__(self.meldungen[0].text if self.meldungen else "")
        if not self.faultcode:
            self.faultcode = "soapenv:Client" if self.client_error else "soapenv:Server"

    @classmethod
    def of(cls, code: str, text: str, *, quelle: str = "", client_error: bool = True) -> "BiproFault":
        return cls([Meldung(code, text, ERROR, quelle)], client_error=client_error)


def fault_for(exc: Exception, not_found_code: str = OBJECT_NOT_FOUND) -> BiproFault:
    """The one place where a refusal of the core becomes a BiPRO fault."""
    if isinstance(exc, BiproFault):
        return exc
    if isinstance(exc, errors.AccountLocked):
        code = TOO_MANY_FAILURES if exc.just_locked else ACCOUNT_LOCKED
        return BiproFault.of(code, exc.message)
    if isinstance(exc, errors.TooManyRequests):
        return BiproFault.of(TEMPORARY_FAULT, exc.message)
    if isinstance(exc, errors.AuthenticationFailed):
        return BiproFault.of(AUTH_FAILED, exc.message)
    if isinstance(exc, errors.Forbidden):
        return BiproFault.of(NOT_AUTHORIZED, exc.message)
    if isinstance(exc, errors.TokenMalformed):
        return BiproFault.of(MALFORMED_SCT, exc.message)
    if isinstance(exc, errors.TokenInvalid):
        return BiproFault.of(TOKEN_INVALID, exc.message)
    if isinstance(exc, errors.ShipmentNotFound):
        return BiproFault.of(NO_SUCH_SHIPMENT, exc.message or "Lieferung nicht gefunden.", quelle="tran:ID")
    if isinstance(exc, errors.ShipmentExpired):
        return BiproFault.of(SHIPMENT_EXPIRED, exc.message or "Die Lieferung ist nicht mehr verfügbar.",
                             quelle="tran:ID")
    if isinstance(exc, errors.NotFound):
        return BiproFault.of(not_found_code, exc.message or "Objekt nicht gefunden.")
    if isinstance(exc, errors.ValidationFailed):
        return BiproFault([Meldung(INCOMPLETE_DATA, p.message, ERROR, p.field) for p in exc.problems])
    if isinstance(exc, errors.CoreError):  # Conflict, and every other refusal: the request's fault
        return BiproFault.of(PROCESSING_ERROR, exc.message or "Die Anfrage kann nicht verarbeitet werden.")
    return BiproFault.of(PROCESSING_ERROR, "Bei der Verarbeitung ist ein Fehler aufgetreten.",
                         client_error=False)
