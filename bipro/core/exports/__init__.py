"""List exports (CSV, Excel, PDF, clipboard text) from columns and a row iterator.

Every writer consumes the rows one at a time and never keeps them, so an
export of a whole search costs constant memory (the PDF: memory per page,
and a row cap, because fpdf2 holds the document until it is written).
"""
from bipro.core.exports.csvfile import iter_csv, write_csv
from bipro.core.exports.display import display_text
from bipro.core.exports.model import ExportColumn, ExportMeta, ExportTooLarge
from bipro.core.exports.pdffile import PDF_MAX_ROWS, pdf_layout, pdf_limit_message, write_pdf
from bipro.core.exports.pdftext import pdf_safe_text
from bipro.core.exports.textfile import iter_tsv, tsv_text
from bipro.core.exports.xlsxfile import write_xlsx

__all__ = [
    "ExportColumn", "ExportMeta", "ExportTooLarge", "PDF_MAX_ROWS", "display_text",
    "iter_csv", "iter_tsv", "pdf_layout", "pdf_limit_message", "pdf_safe_text",
    "tsv_text", "write_csv", "write_pdf", "write_xlsx",
]
