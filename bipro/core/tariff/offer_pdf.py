"""The offer ("Angebot") as a one-page A4 PDF, drawn with fpdf2's built-in fonts."""

from __future__ import annotations

from fpdf import FPDF
from fpdf.fonts import FontFace

from bipro.core.clock import local_midnight
from bipro.core.exports.pdftext import ENCODING
from bipro.core.exports.pdftext import pdf_safe_text as pdf_text
from bipro.core.formatting import format_date
from bipro.core.tariff.offers import COLUMN_GROUPS, SHORT_HEADINGS, Offer

INSURER = "Docura VVaG"
BRAND = (11, 79, 113)
MUTED = (91, 103, 117)
LINE = (217, 224, 231)
SHADE = (243, 246, 249)





class _OfferPdf(FPDF):
    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, pdf_text(f"{INSURER} · Unverbindliches Angebot · Seite {self.page_no()}"),
                  align="C")


def offer_pdf(offer: Offer) -> bytes:
    """The PDF bytes of *offer*; deterministic for the same offer."""
    pdf = _OfferPdf(format="A4")
    pdf.core_fonts_encoding = ENCODING
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=20)
    # Midnight in Germany of the offer day: midnight UTC of that day would lie
    # in the future for an offer made between 00:00 and 01:00/02:00 German time.
    pdf.set_creation_date(local_midnight(offer.created_on))
    pdf.set_title(pdf_text(offer.title))
    pdf.set_author(INSURER)
    pdf.set_creator(f"{INSURER} Extranet")
    pdf.add_page()
    _heading(pdf, offer)
    _facts(pdf, offer)
    _section(pdf, "Ihre Angaben")
    _answers(pdf, offer)
    _section(pdf, "Beitrag")
    _premiums(pdf, offer)
    _note(pdf, offer)
    return bytes(pdf.output())


def _heading(pdf: FPDF, offer: Offer) -> None:
    pdf.set_font("Helvetica", "B", 11)
    pdf.set_text_color(*BRAND)
    pdf.cell(0, 6, INSURER, new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*BRAND)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
    pdf.ln(6)
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 9, pdf_text(offer.title), new_x="LMARGIN", new_y="NEXT")
    if offer.product_description:
        pdf.set_font("Helvetica", "", 10)
        pdf.set_text_color(*MUTED)
        pdf.cell(0, 6, pdf_text(offer.product_description), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _facts(pdf: FPDF, offer: Offer) -> None:
    facts = [
        ("Datum", format_date(offer.created_on)),
        ("Vermittler", offer.broker_name),
        ("Vermittlernummer", offer.broker_number),
        ("Produkt", f"{offer.product_name} ({offer.product_id})"),
        ("Sparte", offer.sparte),
        ("Tarifstand", f"{offer.version}, Beiträge berechnet zum {format_date(offer.rated_on)}"),
    ]
    _pairs(pdf, facts, shaded=False)


def _section(pdf: FPDF, title: str) -> None:
    pdf.ln(5)
    pdf.set_font("Helvetica", "B", 12)
    pdf.set_text_color(*BRAND)
    pdf.cell(0, 7, pdf_text(title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _answers(pdf: FPDF, offer: Offer) -> None:
    _pairs(pdf, offer.answers, shaded=True)


def _pairs(pdf: FPDF, pairs, shaded: bool) -> None:
    pdf.set_font("Helvetica", "", 10)
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(*LINE)
    pdf.set_line_width(0.2)
    with pdf.table(col_widths=(55, 115), first_row_as_headings=False, text_align="LEFT",
                   borders_layout="HORIZONTAL_LINES" if shaded else "NONE",
                   cell_fill_color=SHADE if shaded else None,
                   cell_fill_mode="ROWS" if shaded else "NONE",
                   line_height=6) as table:
        for label, value in pairs:
            row = table.row()
            row.cell(pdf_text(label), style=FontFace(color=MUTED))
            row.cell(pdf_text(value))


def _premiums(pdf: FPDF, offer: Offer) -> None:
    pdf.set_font("Helvetica", "", 9)
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(*LINE)
    heading = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=BRAND)
    # Millimetres, 170 in all; "Versicherungsteuer" is the one long heading.
    widths = {"frequency": 27, "tax": 34, "annual_gross": 24}
    col_widths = tuple(widths.get(key, 21.25) for key in offer.columns)
    align = tuple("LEFT" if key == "frequency" else "RIGHT" for key in offer.columns)
    with pdf.table(col_widths=col_widths, text_align=align, headings_style=heading,
                   num_heading_rows=2, borders_layout="HORIZONTAL_LINES",
                   line_height=5.5, padding=1.2) as table:
        groups = table.row()
        groups.cell("")
        for title, keys in COLUMN_GROUPS:
            groups.cell(pdf_text(title), colspan=len(keys), align="CENTER")
        header = table.row()
        for key in offer.columns:
            header.cell(pdf_text(SHORT_HEADINGS[key]))
        for values in offer.rows:
            row = table.row()
            for key, value in zip(offer.columns, values):
                # Brutto per payment is what the customer pays: bold, as on screen.
                row.cell(pdf_text(value),
                         style=FontFace(emphasis="BOLD") if key == "gross" else None)
    pdf.set_font("Helvetica", "", 8)
    pdf.set_text_color(*MUTED)
    pdf.ln(1)
    pdf.multi_cell(0, 4.5, pdf_text(
        "Beiträge je Zahlung und pro Jahr, bei unterjähriger Zahlung einschließlich "
        "Ratenzuschlag; die Versicherungsteuer wird je Zahlung berechnet."),
        align="L", new_x="LMARGIN", new_y="NEXT")


def _note(pdf: FPDF, offer: Offer) -> None:
    pdf.ln(6)
    pdf.set_font("Helvetica", "B", 10)
    pdf.set_text_color(0, 0, 0)
    pdf.cell(0, 6, "Hinweis", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 5, pdf_text(offer.note), align="L", new_x="LMARGIN", new_y="NEXT")
