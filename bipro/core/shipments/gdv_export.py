"""Export a broker's portfolio as a GDV file and publish it as a data shipment.

Contracts stream from the database (``yield_per``, a server-side cursor on
PostgreSQL) through the streaming GDV writer into a file, so memory stays
flat for any portfolio size; only then is the file stored as a shipment.
A full export is category 999010010 (Gesamtbestand); a change export,
999010020, holds the contracts changed (``Contract.updated_at``) since the
broker's previous export, as recorded in ``gdv_exports``.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bipro.core.caller import SystemCaller
from bipro.core.clock import to_local
from bipro.core.errors import CoreError, NotFound
from bipro.core.formatting import format_date
from bipro.core.gdv import BROKER_NUMBER_WIDTH, GdvContract, GdvFormatError, GdvHeader, GdvPerson, write_portfolio
from bipro.core.shipments.publish import NET_DATA, NewFile, broker_of_login, publish_shipment
from store.base import utcnow
from store.models import Broker, Contract, Customer, GdvExport
from store.progress import Progress, silent

FULL_PORTFOLIO = "999010010"
CHANGES = "999010020"
GDV_MEDIA_TYPE = "text/plain; charset=ISO-8859-1"
# ArtDerLieferung of a data-only shipment. The public code list names only
# business events (1001-1006, 2001/2002, 2401); 1000 is our choice for data.
GDV_KIND = 1000
INSURER = "Docura VVaG"
VU_NUMBER = "47110"  # the insurer's number in the GDV files (demo value)
YIELD_PER = 2000


class GdvExportRefused(CoreError):
    """This broker's portfolio cannot be written as a GDV file; nothing was written or published."""


@dataclass(frozen=True)
class GdvExportResult:
    broker_number: str
    category: str
    path: Path
    size: int
    contract_count: int
    public_id: str  # tran:ID of the published shipment


def export_portfolio(session: Session, broker_id: int, out_dir: Path, *, changes: bool = False,
                     available_days: int = 90, now: dt.datetime | None = None,
                     progress: Progress = silent, by: SystemCaller) -> GdvExportResult:
    """Write the broker's GDV file into *out_dir*, publish it, record the export.

    With *changes*, only contracts changed since the previous export (all of
    them when there was none) go into a 999010020 file. *progress*
    (store.progress) counts the contracts written. GdvExportRefused when
    the broker's data does not fit the GDV fields (a Vermittlernummer longer
    than the field, a value a contract line cannot hold).
    """
    now = (now or utcnow()).replace(microsecond=0)
    broker = session.get(Broker, broker_id)
    if broker is None:
        raise NotFound(f"Es gibt keinen Vermittler mit der Nummer {broker_id}.")
    if len(broker.number) > BROKER_NUMBER_WIDTH:
        # Cutting it would address the file to another broker's number.
        raise GdvExportRefused(
            f"Vermittler {broker.number} ({broker.name}): Die Vermittlernummer hat {len(broker.number)} "
            f"Zeichen, im GDV-Format sind höchstens {BROKER_NUMBER_WIDTH} möglich. Es wurde keine "
            f"GDV-Datei erstellt.")
    since = _previous_export(session, broker_id) if changes else None
    today = to_local(now).date()
    header = GdvHeader(vu_number=VU_NUMBER, sender=INSURER, addressee=broker.name, created=today,
                       period_from=to_local(since).date() if since else today, period_to=today,
                       broker_number=broker.number)
    category = CHANGES if changes else FULL_PORTFOLIO
    name = f"GDV_{file_name_part(broker.number)}_{today:%Y%m%d}{'_Aenderungen' if changes else ''}.gdv"
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / name
    handle, temporary = tempfile.mkstemp(prefix=name, suffix=".part", dir=out_dir)
    try:
        total = session.scalar(select(func.count()).select_from(Contract).where(*_chosen(broker_id, since)))
        with os.fdopen(handle, "wb") as out, progress(f"GDV {broker.number}", total, "Verträge") as counter:
            summary = write_portfolio(out, header, _counted(_contracts(session, broker_id, since), counter))
        os.replace(temporary, path)
    except GdvFormatError as unfit:
        Path(temporary).unlink(missing_ok=True)
        raise GdvExportRefused(f"Vermittler {broker.number} ({broker.name}): Ein Wert passt nicht in sein "
                               f"GDV-Feld ({unfit}). Es wurde keine GDV-Datei erstellt.") from unfit
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    title = ("GDV-Änderungsdaten" if changes else "GDV-Gesamtbestand") + f" vom {format_date(today)}"
    published = publish_shipment(
        session, broker_id, category,
        [NewFile(path, media_type=GDV_MEDIA_TYPE, file_type=NET_DATA, title=title)],
        available_days=available_days, kind=GDV_KIND, data_only=True, periodic=True,
        event_number=f"GDV{today:%Y%m%d}", now=now, by=by)
    session.add(GdvExport(broker_id=broker_id, category=category, created_at=now,
                          contract_count=summary.contract_count, shipment_id=published.shipment_id,
                          note=name))
    return GdvExportResult(broker.number, category, path, path.stat().st_size,
                           summary.contract_count, published.public_id)


def export_targets(session: Session, login: str | None = None) -> list[int]:
    """The brokers one export run covers: *login*'s broker, or every broker in the order they were added.

    NotFound for an unknown login.
    """
    if login:
        return [broker_of_login(session, login)]
    return list(session.scalars(select(Broker.id).order_by(Broker.id)))


def file_name_part(broker_number: str) -> str:
    """The Vermittlernummer as part of a file name: ``AB/1`` becomes ``AB%2F1``.

    ASCII letters, digits and ``-._~`` stay; every other character (folder
    separators, blanks, umlauts, ``%`` itself) is percent-encoded as UTF-8,
    so the name stays readable, holds no folder part and no two numbers
    share one.
    """
    return quote(broker_number, safe="")


def _previous_export(session: Session, broker_id: int) -> dt.datetime | None:
    return session.scalar(select(GdvExport.created_at).where(GdvExport.broker_id == broker_id)
                          .order_by(GdvExport.created_at.desc(), GdvExport.id.desc()).limit(1))


def _chosen(broker_id: int, since: dt.datetime | None) -> list:
    """The contracts an export holds: the broker's, changed since *since* when given."""
    conditions = [Contract.broker_id == broker_id]
    if since is not None:
        conditions.append(Contract.updated_at > since)
    return conditions


def _counted(contracts: Iterator[GdvContract], counter) -> Iterator[GdvContract]:
    for contract in contracts:
        yield contract
        counter.update(1)


def _contracts(session: Session, broker_id: int, since: dt.datetime | None) -> Iterator[GdvContract]:
    query = (select(Contract.policy_number, Contract.sparte, Contract.status, Contract.start_date,
                    Contract.end_date, Contract.main_due_date, Contract.payment_frequency,
                    Contract.net_premium, Customer.partner_number, Customer.salutation,
                    Customer.last_name, Customer.first_name, Customer.street, Customer.postcode,
                    Customer.town, Customer.country, Customer.birth_date, Contract.stand,
                    Contract.cancelled_on)
             .join(Customer, Customer.id == Contract.customer_id)
             .where(*_chosen(broker_id, since))
             .order_by(Contract.id)
             .execution_options(yield_per=YIELD_PER, stream_results=True))
    for row in session.execute(query):
        holder = GdvPerson(partner_number=row.partner_number, salutation_code=row.salutation,
                           last_name=row.last_name, first_name=row.first_name, street=row.street,
                           postcode=row.postcode, town=row.town, country=row.country,
                           birth_date=row.birth_date)
        yield GdvContract(policy_number=row.policy_number, sparte=int(row.sparte),
                          status_code=row.status, start=row.start_date, end=row.end_date,
                          main_due_date=row.main_due_date, payment_frequency_code=row.payment_frequency,
                          net_premium=row.net_premium, currency="EUR", holder=holder,
                          changed_on=row.stand, cancelled_on=row.cancelled_on)
