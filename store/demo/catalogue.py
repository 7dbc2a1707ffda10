"""Fixed demo content: brokers, products, news and the shipment categories used."""

from __future__ import annotations

from decimal import Decimal

# (product code, Sparte, name, description, typical annual net premium range in €)
PRODUCTS = (
    ("HR-KOMFORT", "130", "Docura Hausrat Komfort",
     "Schutz für den gesamten Hausrat mit Fahrraddiebstahl, Elementar- und Glasbaustein.",
     (Decimal("60"), Decimal("420"))),
    ("PHV-KLASSIK", "040", "Docura Privathaftpflicht",
     "Privathaftpflicht für Singles, Paare und Familien bis 20 Mio. € Deckungssumme.",
     (Decimal("45"), Decimal("160"))),
    ("UNF-AKTIV", "030", "Docura Unfall Plus",
     "Private Unfallversicherung mit Progression bis 500 % und Gefahrengruppen A und B.",
     (Decimal("80"), Decimal("480"))),
    ("RS-BAUSTEIN", "070", "Docura Rechtsschutz Baustein",
     "Rechtsschutz in den Bausteinen Privat, Beruf, Verkehr und Wohnen.",
     (Decimal("150"), Decimal("520"))),
    ("WG-KOMPAKT", "140", "Docura Wohngebäude",
     "Gleitender Neuwert für Ein- und Zweifamilienhäuser, Elementarschäden wählbar.",
     (Decimal("250"), Decimal("1400"))),
)

NEWS = (
    ("news", "Neue Beitragsrechnungen online",
     "Ab sofort stellen wir alle Beitragsrechnungen zusätzlich über die BiPRO-Schnittstelle bereit."),
    ("news", "Wartungsfenster am Wochenende",
     "Das Extranet ist am Samstag zwischen 22:00 und 23:00 Uhr kurzzeitig nicht erreichbar."),
    ("news", "GDV-Bestandsdaten monatlich",
     "Die Gesamtbestandsdaten im GDV-Format erhalten Sie jetzt zum Monatsersten."),
    ("product", "Hausrat Komfort mit Elementarbaustein",
     "Der neue Elementarbaustein schützt vor Starkregen, Hochwasser und Erdrutsch."),
    ("product", "Privathaftpflicht: Deckung bis 20 Mio. €",
     "Für Familien jetzt mit Forderungsausfalldeckung ohne Mehrbeitrag."),
    ("product", "Unfall Plus mit Progression 500 %",
     "Mehr Leistung bei schweren Unfällen – jetzt im Tarifrechner berechnen."),
)

# (category, ArtDerLieferung, DokumentartID, title)
SHIPMENT_KINDS = (
    ("100007000", 1001, "Police", "Versicherungsschein"),
    ("110011000", 1002, "Nachtrag", "Adressänderung"),
    ("120010000", 1003, "Nachtrag", "Vertragsänderung"),
    ("140013000", 1004, "Rechnung", "Beitragsrechnung"),
    ("140012000", 1004, "Erinnerung", "Beitragsrückstand"),
    ("150010000", 1005, "Anschreiben", "Vertragsablauf"),
    ("160010000", 1006, "Anschreiben", "Kündigungsbestätigung"),
)

INSURANCE_TAX = Decimal("0.19")
