"""A bare Spyne service answering the same Transfer payloads from memory.

No database, no security, no fixed prefixes: the cost of Spyne's own
serialisation, the baseline the gateway's overhead is measured against.
"""

from __future__ import annotations

import datetime as dt

from spyne import Application, Boolean, ByteArray, ComplexModel, DateTime, Integer, Iterable, ServiceBase, Unicode, rpc
from spyne.protocol.soap import Soap11
from spyne.server.wsgi import WsgiApplication

TRAN = "http://www.bipro.net/namespace/transfer"


class Datei(ComplexModel):
    __namespace__ = "http://www.bipro.net/namespace/allgemein"
    DateiID = Unicode
    Dateiname = Unicode
    Dateityp = Unicode
    Daten = ByteArray
    Komprimierungstyp = Unicode
    DokumentartID = Unicode
    Bezeichnung = Unicode
    Pruefsumme = Unicode


class Lieferung(ComplexModel):
    __namespace__ = TRAN
    ID = Unicode
    Einstellzeitpunkt = DateTime
    Kategorie = Unicode
    VerfuegbarBis = DateTime
    ArtDerLieferung = Integer
    EnthaeltNurDaten = Boolean
    PeriodischeLieferung = Boolean
    Sparte = Unicode
    AnzahlTransfers = Integer
    Datei = Datei.customize(max_occurs="unbounded")


def build_baseline(list_size: int, files: dict[str, bytes]):
    """WSGI app: listShipments -> *list_size* Lieferungen; getShipment(ID) -> the file named ID."""
    now = dt.datetime(2026, 1, 1, 8, 0)

    def lieferung(n: int, datei=None) -> Lieferung:
        return Lieferung(ID=f"L{n:08d}", Einstellzeitpunkt=now, Kategorie="100007000",
                         VerfuegbarBis=now + dt.timedelta(days=90), ArtDerLieferung=1001,
                         EnthaeltNurDaten=False, PeriodischeLieferung=False, Sparte="040",
                         AnzahlTransfers=1, Datei=datei)

    class BaselineTransfer(ServiceBase):
        @rpc(_returns=Iterable(Lieferung), _body_style="bare")
        def listShipments(ctx):
            return [lieferung(n) for n in range(list_size)]

        @rpc(Unicode, _returns=Lieferung)
        def getShipment(ctx, ID):
            data = files[ID]
            return lieferung(1, [Datei(DateiID="D1", Dateiname=ID, Dateityp="Dokument", Daten=[data],
                                       Komprimierungstyp="KEINE", DokumentartID="Police",
                                       Bezeichnung=ID, Pruefsumme="SHA1")])

    app = Application([BaselineTransfer], tns=TRAN, in_protocol=Soap11(), out_protocol=Soap11())
    return WsgiApplication(app)
