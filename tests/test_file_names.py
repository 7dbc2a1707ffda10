"""File names are cleaned, never refused, and every download header carries them in ASCII."""

from __future__ import annotations

import pytest
from flask import Response
from lxml import etree

from bipro.core.file_names import MAX_LENGTH, clean_file_name
from bipro.core.shipments.gdv_export import file_name_part
from bipro.core.text_rules import visible_text
from portal.downloads import set_attachment
from tests.support.portal import download_names

# Characters lxml refuses in XML text, and invisible ones the text rules refuse.
UNWANTED = ["\x00", "\x01", "\x1f", "\x7f", "\x85", "\x9b", "\u200b", "\u202e", "\u2028", "\ufeff",
            "\ue000", "\ud800", "\ufffe", "\uffff", "\U000e0001"]


@pytest.mark.parametrize("given, cleaned", [
    ("Beitragsrechnung 2027.pdf", "Beitragsrechnung 2027.pdf"),
    ("Łódź Schaden.pdf", "Łódź Schaden.pdf"),
    ("Brief\r\nBcc: x.pdf", "Brief Bcc: x.pdf"),
    ("Brief\tan\tKunde.pdf", "Brief an Kunde.pdf"),
    ("Brief\x00\x01\x7f\x9b.pdf", "Brief.pdf"),
    ("Brief\ufffe\uffff.pdf", "Brief.pdf"),
    ("Brief\udcfc.pdf", "Brief.pdf"),  # a lone surrogate: bytes of a name that was not UTF-8
    ("Rechnung\u202efdp.exe", "Rechnungfdp.exe"),
    ("Ba\u0308r.pdf", "Bär.pdf"),
    ("C:\\Scans\\2027/brief.pdf", "brief.pdf"),
    ("../../etc/passwd", "passwd"),
    ("  brief.pdf  ", "brief.pdf"),
    ("..", "Dokument"),
    ("ordner/", "Dokument"),
    ("\u200b\r\n", "Dokument"),
])
def test_a_file_name_is_cleaned(given, cleaned):
    assert clean_file_name(given) == cleaned


def test_a_long_name_is_cut_before_its_extension():
    assert clean_file_name("A" * 300 + ".pdf") == "A" * (MAX_LENGTH - 4) + ".pdf"
    assert clean_file_name("A" * 300) == "A" * MAX_LENGTH
    assert clean_file_name("A" * 150 + "." + "B" * 100) == ("A" * 150 + "." + "B" * 100)[:MAX_LENGTH]


@pytest.mark.parametrize("character", UNWANTED)
def test_what_is_left_is_xml_text(character):
    element = etree.Element("Datei")
    element.text = clean_file_name(f"Brief{character}Kunde.pdf")  # lxml refuses what XML 1.0 does not allow
    assert element.text in ("BriefKunde.pdf", "Brief Kunde.pdf")
    element.set("Bezeichnung", visible_text(f"Brief/{character}Kunde"))
    assert element.get("Bezeichnung") in ("Brief/Kunde", "Brief/ Kunde")


@pytest.mark.parametrize("name, plain, extended", [
    ("Kundenuebersicht_2027-01-02.csv", "Kundenuebersicht_2027-01-02.csv", None),
    ("Rechnung 10€.pdf", "Rechnung 10_.pdf", "Rechnung 10€.pdf"),
    ("Łódź Schaden.pdf", "_odz Schaden.pdf", "Łódź Schaden.pdf"),
    ('Brief "Kunde" 100%.pdf', "Brief _Kunde_ 100_.pdf", 'Brief "Kunde" 100%.pdf'),
    ("Brief\r\nBcc: x.pdf", "Brief Bcc: x.pdf", None),
])
def test_the_download_header_is_ascii_with_the_name_in_rfc_5987(name, plain, extended):
    header = set_attachment(Response(), name).headers["Content-Disposition"]
    header.encode("ascii")
    assert download_names(header) == (plain, extended)
    assert header.startswith(f'attachment; filename="{plain}"')


@pytest.mark.parametrize("number, part", [
    ("100100", "100100"), ("AB/1", "AB%2F1"), ("AB%2F1", "AB%252F1"), ("A B\\1", "A%20B%5C1"),
    ("Mü.1-2", "M%C3%BC.1-2"),
])
def test_a_broker_number_becomes_a_file_name_part_without_folders(number, part):
    assert file_name_part(number) == part
