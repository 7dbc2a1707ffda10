"""Shipments (Lieferungen) of documents and GDV data: Norm 430 and the portal's Posteingang.

Public use cases (every one scoped to the caller's broker):

* ``list_shipments``, ``get_shipment``, ``acknowledge_shipment`` (Norm 430)
* ``iter_file_contents``: a document's bytes in chunks, for streamed answers
* ``unread_documents``, ``read_document``: the portal's "Letzter Posteingang"
* ``inbox_page``, ``mark_unread``: the portal's Posteingang of all documents
* ``publish_shipment``, ``export_targets``, ``export_portfolio``: the back office
  (CLI and intake), each audited with its system caller
"""

from bipro.core.shipments.content import iter_file_contents
from bipro.core.shipments.gdv_export import (
                                              CHANGES,
                                              FULL_PORTFOLIO,
                                              GdvExportRefused,
                                              GdvExportResult,
                                              export_portfolio,
                                              export_targets,
)
from bipro.core.shipments.inbox import read_document, unread_count, unread_documents
from bipro.core.shipments.inbox_pages import (
                                              READ_STATES,
                                              InboxPage,
                                              InboxQuery,
                                              document_type_name,
                                              inbox_page,
                                              mark_unread,
)
from bipro.core.shipments.model import DocumentContent, FileInfo, InboxDocument, ShipmentDetail, ShipmentSummary
from bipro.core.shipments.publish import DOCUMENT, NET_DATA, NewFile, Published, broker_of_login, publish_shipment
from bipro.core.shipments.queries import (
                                              ALL_CATEGORIES,
                                              acknowledge_shipment,
                                              check_category,
                                              get_shipment,
                                              list_shipments,
)

__all__ = [
    "ALL_CATEGORIES", "CHANGES", "DOCUMENT", "FULL_PORTFOLIO", "NET_DATA", "READ_STATES",
    "DocumentContent", "FileInfo", "GdvExportRefused", "GdvExportResult", "InboxDocument", "InboxPage", "InboxQuery",
    "NewFile", "Published", "ShipmentDetail", "ShipmentSummary", "acknowledge_shipment",
    "broker_of_login", "check_category", "document_type_name", "export_portfolio", "export_targets", "get_shipment",
    "inbox_page", "iter_file_contents", "list_shipments", "mark_unread", "publish_shipment",
    "read_document", "unread_count", "unread_documents",
]
