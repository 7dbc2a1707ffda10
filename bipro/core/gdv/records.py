"""Layout tables of the GDV records this gateway writes, and record rendering.

Only the fields the broker export needs are listed; all other columns are
blank. Two placements are our own choice, not the GDV standard's:

* ``0001`` ``created`` (creation date) sits in 246-253, which the standard
  Vorsatz leaves as filler; 70-85 carry the reporting period only.
* The customer's Partnernummer is written where the standard puts the
  insurer's customer number ("Kundennummer des Versicherers"): a second
  Teildatensatz of ``0100`` (column 256 = ``2``), columns 43-59,
  right-aligned. Teildatensatz 1 of ``0100`` has no unused column, so any
  in-house range there would be misread by standard-conforming software.

Columns 1-42 repeat the contract key on every contract line (VU number,
Sparte, policy number, Folgenummer, broker), as the standard does, so each
line can be attributed without context.

Every numeric, amount and date field of VU-Vermittler release 2023 inside
the records we write is listed, even those we have no value for: strict
GDV readers refuse blanks in a numeric field, so they are written as zeros
(the writer passes 0 / ``00000000``). The reader accepts blanks and zeros
alike. ``0200`` part 2 (the gross premium) is only read, never written.
"""
from __future__ import annotations

from typing import Mapping

from .layout import AMOUNT, DATE, ENCODING, KEY, NUMERIC, TEXT, Field, Layout

# Columns 5-42, shared by the 0100 and 0200 parts.
_CONTRACT_KEY = (
    Field("vu_number", 5, 9, KEY),
    Field("sparte", 11, 13, NUMERIC),
    Field("policy_number", 14, 30, KEY),
    Field("sequence", 31, 32, NUMERIC),           # FolgeNr
    Field("broker_number", 33, 42, KEY),
)

HEADER_0001 = Layout("0001", 1, (
    Field("vu_number", 5, 9, KEY),
    Field("sender", 10, 39, TEXT),
    Field("addressee", 40, 69, TEXT),
    Field("period_from", 70, 77, DATE),
    Field("period_to", 78, 85, DATE),
    Field("broker_number", 86, 95, KEY),
    Field("created", 246, 253, DATE),
))

ADDRESS_0100 = Layout("0100", 1, _CONTRACT_KEY + (
    Field("salutation_code", 43, 43, NUMERIC),
    Field("last_name", 44, 73, TEXT),       # Name1
    Field("first_name", 74, 103, TEXT),     # Name2; Name3 104-133 unused
    Field("country", 154, 156, KEY),
    Field("postcode", 157, 162, TEXT),
    Field("town", 163, 187, TEXT),
    Field("street", 188, 217, TEXT),
    Field("birth_date", 226, 233, DATE),
    Field("address_kind", 237, 238, KEY),         # Adresskennzeichen, 01 = VN
))

ADDRESS_0100_PART2 = Layout("0100", 2, _CONTRACT_KEY + (
    Field("partner_number", 43, 59, KEY, align=">"),
    Field("person_sequence", 250, 255, NUMERIC),  # LfdPersonenNrimGeVo
))

CONTRACT_0200 = Layout("0200", 1, _CONTRACT_KEY + (
    Field("start", 44, 51, DATE),
    Field("end", 52, 59, DATE),
    Field("main_due_date", 60, 67, DATE),
    Field("payment_frequency_code", 68, 68, NUMERIC),
    Field("status_code", 69, 69, NUMERIC),
    Field("cancelled_on", 72, 79, DATE),          # Abgangsdatum
    Field("changed_on", 90, 97, DATE),            # Aenderungsdatum: our "Stand"
    Field("share_percent", 99, 103, NUMERIC),     # AnteilInProz, three decimals
    Field("currency", 113, 115, KEY),
    Field("net_premium", 116, 127, AMOUNT),
    Field("remaining_years", 195, 196, NUMERIC),  # RestlaufzeitVertrages
    Field("term_discount", 197, 200, NUMERIC),    # LaufzeitrabattInProz
    Field("applied_on", 201, 208, DATE),          # Antragsdatum
))

# Read only: the gross premium per payment, including insurance tax.
CONTRACT_0200_PART2 = Layout("0200", 2, _CONTRACT_KEY + (
    Field("gross_premium", 72, 83, AMOUNT),       # GesamtbeitragBrutto
))

TRAILER_9999 = Layout("9999", 1, (
    Field("record_count", 5, 14, NUMERIC),
    Field("broker_number", 15, 24, KEY),
    Field("total_premium", 25, 39, AMOUNT),
    # Sums of record kinds we don't write (0400, 0500): zero, each with its sign.
    Field("total_gross", 40, 53, AMOUNT),
    Field("total_gross_sign", 54, 54, KEY),
    Field("total_commission", 55, 68, AMOUNT),
    Field("total_commission_sign", 69, 69, KEY),
    Field("total_benefits", 70, 83, AMOUNT),
    Field("total_benefits_sign", 84, 84, KEY),
    Field("total_claim_costs", 85, 98, AMOUNT),
    Field("total_claim_costs_sign", 99, 99, KEY),
))

# Lines written per contract: 0100 part 1, 0100 part 2, 0200.
LINES_PER_CONTRACT = 3

# The narrowest Vermittlernummer field of the records written (all are 10 wide):
# a longer number cannot be written without pointing at another broker.
BROKER_NUMBER_WIDTH = min(f.width for layout in (HEADER_0001, ADDRESS_0100, ADDRESS_0100_PART2,
                                                 CONTRACT_0200, TRAILER_9999)
                          for f in layout.fields if f.name == "broker_number")


def render_record(layout: Layout, values: Mapping[str, object]) -> str:
    """Render one record from a dict of plain values to exactly 256 chars.

    Values are str (text/key), int (numeric), date or None (date) and
    Decimal euros (amount). Missing text is blank, missing numbers zero,
    missing dates ``00000000``. The result only holds ISO-8859-1
    characters, so encoding it can't fail.
    """
    return layout.fill(layout.prepare(values)).decode(ENCODING)
