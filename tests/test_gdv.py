"""GDV export: round trips, exact columns, totals and rejected values."""
from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from bipro.core.gdv import GdvContract, GdvFormatError, GdvHeader, GdvPerson, GdvWriter, render_record, write_portfolio
from bipro.core.gdv.layout import NUMERIC, TEXT, Field, Layout
from bipro.core.gdv.records import HEADER_0001
from tests.gdvreader import col, read_gdv, split_lines

HEADER = GdvHeader(
    vu_number="12345", sender="Docura VVaG", addressee="Maklerbüro Weiß",
    created=date(2024, 5, 2), period_from=date(2024, 4, 1),
    period_to=date(2024, 4, 30), broker_number="V4711")

MUELLER = GdvPerson(
    partner_number="P-000042", salutation_code=2, last_name="Müller-Lüdenscheidt",
    first_name="Jürgen", street="Große Straße 12a", postcode="80331",
    town="München", country="D", birth_date=date(1970, 2, 3))
WEISS = GdvPerson(
    partner_number="7", salutation_code=1, last_name="Weiß",
    first_name="Öztürk", street="Äußere Ringstraße 1", postcode="01067",
    town="Dresden", country="D", birth_date=date(1955, 12, 31))
COMPANY = GdvPerson(
    partner_number="FIRMA-0000000001", salutation_code=3,
    last_name="Schön & Söhne GmbH", first_name="", street="Industriestr. 5",
    postcode="1010", town="Wien", country="A", birth_date=None)


def contract(policy: str, holder: GdvPerson, **changes) -> GdvContract:
    base = GdvContract(
        policy_number=policy, sparte=40, status_code=1,
        start=date(2020, 1, 1), end=date(2030, 1, 1),
        main_due_date=date(2021, 1, 1), payment_frequency_code=8,
        net_premium=Decimal("123.45"), currency="EUR", holder=holder)
    return replace(base, **changes)


CONTRACTS = [
    contract("VS-2020-000001", MUELLER),
    contract("VS-2020-000002", WEISS, end=None, payment_frequency_code=1,
             net_premium=Decimal("1999.00"), sparte=10),
    contract("VS-2020-000003", COMPANY, status_code=4, main_due_date=None,
             net_premium=Decimal("0.05"), sparte=999),
    contract("12345678901234567", MUELLER, net_premium=Decimal("0")),
]


def export(contracts, header=HEADER) -> tuple[bytes, object]:
    out = io.BytesIO()
    summary = write_portfolio(out, header, iter(contracts))
    return out.getvalue(), summary


def test_round_trip_returns_the_same_values():
    data, _ = export(CONTRACTS)
    parsed = read_gdv(data)
    assert parsed.header == HEADER
    assert parsed.records == [(c.holder, c) for c in CONTRACTS]
    assert parsed.vu_numbers == {"12345"}
    assert parsed.broker_numbers == {"V4711"}


def test_reader_accepts_a_path_and_lf_line_ends(tmp_path):
    data, _ = export(CONTRACTS)
    path = tmp_path / "bestand.gdv"
    path.write_bytes(data.replace(b"\r\n", b"\n"))
    assert read_gdv(path).records == read_gdv(data).records


def test_every_line_is_256_latin1_characters_with_crlf():
    data, summary = export(CONTRACTS)
    assert data.endswith(b"\r\n")
    raw_lines = data.split(b"\r\n")[:-1]
    assert len(raw_lines) == summary.record_count == 2 + 3 * len(CONTRACTS)
    for raw in raw_lines:
        assert len(raw) == 256
        assert b"\r" not in raw and b"\n" not in raw
        assert all(b >= 0x20 and not 0x7F <= b <= 0x9F for b in raw)
        assert raw.decode("latin-1").encode("latin-1") == raw
    assert [line[:4] + line[255] for line in split_lines(data)] == (
        ["00011"] + ["01001", "01002", "02001"] * len(CONTRACTS) + ["99991"])


def test_contract_columns_sit_where_the_format_says():
    lines = split_lines(export(CONTRACTS[:1])[0])
    address, address2, general = lines[1:4]
    assert col(general, 1, 4) == "0200"
    assert col(general, 5, 9) == "12345"
    assert col(general, 11, 13) == "040"
    assert col(general, 14, 30) == "VS-2020-000001   "
    assert col(general, 33, 42) == "V4711     "
    assert col(general, 44, 67) == "010120200101203001012021"
    assert col(general, 68, 69) == "81"
    assert col(general, 113, 115) == "EUR"
    assert col(general, 116, 127) == "000000012345"
    assert col(general, 128, 194).strip() == "" and col(general, 209, 255).strip() == ""
    assert col(address, 43, 43) == "2"
    assert col(address, 44, 73) == "Müller-Lüdenscheidt".ljust(30)
    assert col(address, 74, 103) == "Jürgen".ljust(30)
    assert col(address, 104, 153).strip() == ""
    assert col(address, 154, 162) == "D  80331 "
    assert col(address, 163, 187) == "München".ljust(25)
    assert col(address, 188, 217) == "Große Straße 12a".ljust(30)
    assert col(address, 226, 233) == "03021970"
    assert col(address2, 43, 59) == "P-000042".rjust(17)
    assert "ü".encode("latin-1") in export(CONTRACTS[:1])[0]


def test_header_columns():
    header = split_lines(export([])[0])[0]
    assert col(header, 5, 9) == "12345"
    assert col(header, 10, 39) == "Docura VVaG".ljust(30)
    assert col(header, 40, 69) == "Maklerbüro Weiß".ljust(30)
    assert col(header, 70, 85) == "0104202430042024"
    assert col(header, 86, 95) == "V4711     "
    assert col(header, 246, 253) == "02052024"


def test_numeric_fields_without_value_are_zeros_as_strict_readers_require():
    """VU-Vermittler 2023: numeric, amount and date fields are digits, never blanks."""
    lines = split_lines(export(CONTRACTS[:1])[0])
    address, address2, general, trailer = lines[1:5]
    for line in (address, address2, general):
        assert col(line, 31, 32) == "00"                  # FolgeNr
    assert col(address, 237, 238) == "01"                 # Adresskennzeichen: Versicherungsnehmer
    assert col(address2, 250, 255) == "000000"            # LfdPersonenNrimGeVo
    assert col(general, 72, 79) == "00000000"             # Abgangsdatum
    assert col(general, 90, 97) == "00000000"             # Aenderungsdatum
    assert col(general, 99, 103) == "00000"               # AnteilInProz
    assert col(general, 195, 196) == "00"                 # RestlaufzeitVertrages
    assert col(general, 197, 200) == "0000"               # LaufzeitrabattInProz
    assert col(general, 201, 208) == "00000000"           # Antragsdatum
    for start in (40, 55, 70, 85):                        # the trailer's other sums, with sign
        assert col(trailer, start, start + 13) == "0" * 14
        assert col(trailer, start + 14, start + 14) == "+"


def test_stand_and_cancellation_travel_as_change_and_leaving_dates():
    contract = replace(CONTRACTS[0], changed_on=date(2024, 3, 1), cancelled_on=date(2024, 6, 30))
    general = split_lines(export([contract])[0])[3]
    assert col(general, 90, 97) == "01032024"
    assert col(general, 72, 79) == "30062024"


def test_empty_dates_are_zeros():
    lines = split_lines(export([CONTRACTS[1], CONTRACTS[2]])[0])
    assert col(lines[3], 52, 59) == "00000000"        # no end date
    assert col(lines[6], 60, 67) == "00000000"        # no main due date
    assert col(lines[4], 226, 233) == "00000000"      # company: no birth date


def test_trailer_totals_add_up():
    data, summary = export(CONTRACTS)
    trailer_line = split_lines(data)[-1]
    expected_cents = 12345 + 199900 + 5 + 0
    assert col(trailer_line, 5, 14) == "%010d" % (2 + 3 * 4)
    assert col(trailer_line, 15, 24) == "V4711     "
    assert col(trailer_line, 25, 39) == "%015d" % expected_cents
    assert summary.record_count == 14 == read_gdv(data).line_count
    assert summary.contract_count == 4
    assert summary.total_premium_cents == expected_cents
    assert read_gdv(data).trailer.total_premium_cents == expected_cents


def test_empty_portfolio_has_header_and_trailer_only():
    data, summary = export([])
    assert summary.record_count == 2 and summary.contract_count == 0
    assert read_gdv(data).records == []


def test_long_text_is_truncated_deterministically():
    long_name = "Freifrau von und zu Hohenzollern-Sigmaringen"
    holder = replace(MUELLER, last_name=long_name, town="Garmisch-Partenkirchen Ost")
    data, _ = export([contract("VS-1", holder)])
    assert data == export([contract("VS-1", holder)])[0]
    person, _ = read_gdv(data).records[0]
    assert person.last_name == long_name[:30]
    assert person.town == "Garmisch-Partenkirchen Ost"[:25]


def test_characters_outside_latin1_are_replaced_not_fatal():
    holder = replace(MUELLER, last_name="Dvořák Łukasz", first_name="Zoë €",
                     street="Mu\u0308hlweg\n3", town="Kraków – Süd")
    person, _ = read_gdv(export([contract("VS-1", holder)])[0]).records[0]
    assert person.last_name == "Dvorák Lukasz"  # á is Latin-1, ř is not
    assert person.first_name == "Zoë ?"
    assert person.street == "Mühlweg 3"    # NFC first, newline -> blank
    assert person.town == "Kraków - Süd"    # en dash -> hyphen


def test_compatibility_characters_fold_whole_and_later_fields_keep_their_columns():
    holder = replace(MUELLER, last_name="A" * 27 + "Ⅷ", first_name="ﬁne ½⅓", town="O\ufb00enbach")
    data, _ = export([contract("VS-1", holder)])
    person, _ = read_gdv(data).records[0]
    assert person.town == "Offenbach"
    assert person.first_name == "fine ½1/3"
    # "Ⅷ" becomes "VIII", one column longer than the field: cut, not pushed into Name 2.
    assert person.last_name == "A" * 27 + "VII"
    line = split_lines(data)[1]
    assert col(line, 44, 73) == "A" * 27 + "VII" and col(line, 74, 103).rstrip() == "fine ½1/3"
    assert len(line) == 256 and line[255] == "1"


def test_invisible_characters_vanish_and_controls_become_blanks():
    header = replace(HEADER, addressee="Makler\u00adbüro Weiß")
    holder = replace(MUELLER, last_name="Mül\u200bler", street="Große\tStraße 12a", town="Mün\u00adchen")
    data, _ = export([contract("VS-1", holder)], header)
    parsed = read_gdv(data)
    assert parsed.header.addressee == "Maklerbüro Weiß"
    person, _ = parsed.records[0]
    assert (person.last_name, person.street, person.town) == ("Müller", "Große Straße 12a", "München")
    assert b"\xad" not in data


@pytest.mark.parametrize("change, message", [
    ({"policy_number": "X" * 18}, "policy_number"),
    ({"net_premium": Decimal("1.005")}, "cents"),
    ({"net_premium": Decimal("-1.00")}, "cents"),
    ({"net_premium": Decimal("10000000000.00")}, "net_premium"),
    ({"status_code": 10}, "status_code"),
    ({"payment_frequency_code": "8"}, "payment_frequency_code"),
    ({"sparte": 1000}, "sparte"),
    ({"currency": "EURO"}, "currency"),
    ({"holder": replace(MUELLER, partner_number="9" * 18)}, "partner_number"),
    ({"holder": replace(MUELLER, salutation_code=5)}, "salutation_code"),
    ({"holder": replace(MUELLER, birth_date="1970-02-03")}, "VS-1"),
])
def test_values_that_dont_fit_are_rejected(change, message):
    with pytest.raises(GdvFormatError, match=message) as info:
        export([replace(contract("VS-1", MUELLER), **change)])
    assert "VS-1" in str(info.value) or "X" * 18 in str(info.value)


def test_closed_writer_refuses_more_contracts():
    writer = GdvWriter(io.BytesIO(), HEADER)
    writer.close()
    with pytest.raises(ValueError):
        writer.write_contract(CONTRACTS[0])


def test_render_record_pads_to_256_characters():
    line = render_record(HEADER_0001, {"vu_number": "12345", "sender": "Ä"})
    assert len(line) == 256
    assert line[:10] == "000112345Ä" and line[255] == "1"
    assert line[69:77] == "00000000"


@pytest.mark.parametrize("fields", [
    (Field("a", 5, 10, TEXT), Field("b", 10, 12, TEXT)),     # overlap
    (Field("a", 4, 10, TEXT),),                              # over Satzart
    (Field("a", 250, 256, TEXT),),                           # over part no.
    (Field("a", 20, 10, NUMERIC),),                          # reversed
    (Field("a", 5, 6, TEXT), Field("a", 7, 8, TEXT)),        # duplicate
    (Field("a", 5, 6, "money"),),                            # unknown kind
])
def test_layout_typos_fail_at_definition(fields):
    with pytest.raises(GdvFormatError):
        Layout("0100", 1, fields)
