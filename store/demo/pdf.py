"""Small, real PDF letters for the demo shipments."""

from __future__ import annotations

import datetime as dt

from fpdf import FPDF

INSURER = "Docura VVaG"


def letter_pdf(title: str, lines: list[str], created: dt.datetime) -> bytes:
    """A one-page A4 letter; the creation date is fixed so output is deterministic."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(created.replace(tzinfo=dt.timezone.utc))
    pdf.set_title(title)
    pdf.set_author(INSURER)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, INSURER, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 12)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
