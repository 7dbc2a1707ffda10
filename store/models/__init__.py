"""Every table of the gateway, importable from one place."""

from store.base import Base
from store.models.activity import AuditEvent, CustomerChange, EnumerationContext, NewsItem
from store.models.counts import ContractCount, CustomerCount
from store.models.guards import LoginFailure, RateLimitHit
from store.models.identity import PasswordResetToken, PortalSession, RecoveryCode, SecurityToken, User
from store.models.intake import IntakeKey, IntakeRequest
from store.models.portfolio import (
    STATUS_ACTIVE,
    STATUS_CANCELLED,
    Broker,
    Claim,
    Contract,
    Customer,
    GdvImportRun,
    Product,
)
from store.models.transfer import Document, DocumentPart, GdvExport, Shipment

__all__ = [
    "Base", "AuditEvent", "CustomerChange", "EnumerationContext", "NewsItem",
    "IntakeKey", "IntakeRequest", "LoginFailure", "RateLimitHit", "PasswordResetToken", "PortalSession",
    "RecoveryCode", "SecurityToken", "User",
    "STATUS_ACTIVE", "STATUS_CANCELLED", "Broker", "Claim", "Contract", "ContractCount", "Customer",
    "CustomerCount",
    "GdvImportRun", "Product", "Document", "DocumentPart", "GdvExport", "Shipment",
]
