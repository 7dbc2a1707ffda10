"""Publish a shipment with files for a broker (CLI ``publish``, the intake and the GDV export).

Staff work, not a broker's: the system caller who publishes is audited with
the shipment, so a broker's Protokoll shows when documents arrived and
through which door.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bipro.core.caller import SystemCaller
from bipro.core.errors import NotFound, Problem, ValidationFailed
from bipro.core.file_names import clean_file_name
from bipro.core.identity import audit
from bipro.core.shipments.content import store_file
from bipro.core.shipments.queries import check_category
from store.base import utcnow
from store.models import Document, Shipment, User

DOCUMENT, NET_DATA = "Dokument", "Nettodaten"
DEFAULT_KIND = 1001  # ArtDerLieferung of a contract business event
_READ_BLOCK = 1024 * 1024


@dataclass(frozen=True)
class NewFile:
    """A file to publish: its path and how the shipment describes it."""

    path: Path
    file_name: str = ""  # defaults to the path's name; cleaned by clean_file_name either way
    media_type: str = ""  # defaults to a guess from the file name
    file_type: str = DOCUMENT
    document_type: str = "SonstigesDokument"
    title: str = ""  # defaults to the file name


@dataclass(frozen=True)
class Published:
    shipment_id: int
    public_id: str
    available_until: dt.datetime
    file_count: int
    total_size: int


def broker_of_login(session: Session, login: str) -> int:
    """The broker id of a user login; NotFound for an unknown login."""
    broker_id = session.scalar(select(User.broker_id).where(User.login == login))
    if broker_id is None:
        raise NotFound(f"Es gibt keinen Benutzer '{login}'.")
    return broker_id


def guess_media_type(file_name: str) -> str:
    guessed, _encoding = mimetypes.guess_type(file_name, strict=False)
    return guessed or "application/octet-stream"


def publish_shipment(session: Session, broker_id: int, category: str, files: list[NewFile], *,
                     available_days: int, kind: int = DEFAULT_KIND, data_only: bool = False,
                     periodic: bool = False, sparte: str | None = None, event_number: str = "",
                     customer_id: int | None = None, contract_id: int | None = None,
                     now: dt.datetime | None = None, by: SystemCaller) -> Published:
    """Add a shipment with *files* for the broker; VerfuegbarBis = now + *available_days*.

    Sizes and SHA1 checksums are computed here, while each file is read in
    blocks; the bytes are then stored in the database (large files in slices).
    Every file name is stored as ``clean_file_name`` makes it (``Dokument-N``
    when nothing usable is left), whichever door it came through.
    """
    check_category(category, "Kategorie")
    if not files:
        raise ValidationFailed([Problem("Dateien", "Eine Lieferung braucht mindestens eine Datei.")])
    missing = [str(f.path) for f in files if not Path(f.path).is_file()]
    if missing:
        raise ValidationFailed([Problem("Dateien", f"Datei nicht gefunden: {path}") for path in missing])
    now = (now or utcnow()).replace(microsecond=0)
    public_id = "L" + secrets.token_hex(10).upper()
    shipment = Shipment(
        public_id=public_id, broker_id=broker_id, category=category, kind=kind,
        data_only=data_only, periodic=periodic, sparte=sparte,
        customer_id=customer_id, contract_id=contract_id,
        event_number=event_number or "V" + public_id[1:13],
        created_at=now, available_until=now + dt.timedelta(days=available_days),
    )
    session.add(shipment)
    session.flush()
    total = 0
    for number, new in enumerate(files, 1):
        path = Path(new.path)
        name = clean_file_name(new.file_name or path.name, fallback=f"Dokument-{number}")
        size, sha1 = size_and_sha1(path)
        document = Document(
            shipment_id=shipment.id, broker_id=broker_id, file_id=f"D{public_id[1:]}{number:02d}",
            file_name=name, media_type=new.media_type or guess_media_type(name),
            file_type=new.file_type, document_type=new.document_type, title=new.title or name,
            created_at=now, size=size, sha1=sha1,
        )
        session.add(document)
        session.flush()
        store_file(session, document, path, size)
        session.flush()
        session.expunge(document)  # one file's bytes in memory at a time
        total += size
    audit.record(session, audit.DOCUMENTS_RECEIVED, broker_id=broker_id, by=by,
                 detail=f"Lieferung {public_id}: {len(files)} Datei(en), Kategorie {category}")
    return Published(shipment.id, public_id, shipment.available_until, len(files), total)


def size_and_sha1(path: Path) -> tuple[int, str]:
    digest = hashlib.sha1()
    size = 0
    with path.open("rb") as stream:
        while block := stream.read(_READ_BLOCK):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()
