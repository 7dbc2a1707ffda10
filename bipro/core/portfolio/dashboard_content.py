"""The dashboard's Neuigkeiten ("news") and Produktwelt ("product") entries, kept by staff."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bipro.core.caller import SystemCaller
from bipro.core.clock import local_today
from bipro.core.errors import NotFound, Problem, ValidationFailed
from bipro.core.identity import audit
from store.db import begin_write
from store.models import NewsItem

NEWS, PRODUCT = "news", "product"
BLOCKS = {NEWS: "Neuigkeiten", PRODUCT: "Produktwelt"}
TITLE_LIMIT = 200


@dataclass(frozen=True)
class Entry:
    id: int
    title: str
    body: str
    published_on: dt.date


def add_entry(session: Session, kind: str, title: str, body: str = "", *,
              published_on: dt.date | None = None, by: SystemCaller) -> Entry:
    title, body = (title or "").strip(), (body or "").strip()
    if not title or len(title) > TITLE_LIMIT:
        raise ValidationFailed([Problem("title", f"Der Titel fehlt oder ist länger als {TITLE_LIMIT} Zeichen.")])
    begin_write(session)
    item = NewsItem(kind=_kind(kind), title=title, body=body, published_on=published_on or local_today())
    session.add(item)
    session.flush()
    audit.record(session, audit.DASHBOARD_CONTENT_CHANGED, by=by,
                 detail=f"{BLOCKS[kind]}: Eintrag {item.id} hinzugefügt")
    return _entry(item)


def list_entries(session: Session, kind: str) -> list[Entry]:
    """Every entry of the block, newest first (the dashboard shows the first five)."""
    rows = session.scalars(select(NewsItem).where(NewsItem.kind == _kind(kind))
                           .order_by(NewsItem.published_on.desc(), NewsItem.id.desc()))
    return [_entry(item) for item in rows]


def remove_entry(session: Session, kind: str, entry_id: int, *, by: SystemCaller) -> None:
    begin_write(session)
    item = session.scalar(select(NewsItem).where(NewsItem.id == entry_id, NewsItem.kind == _kind(kind)))
    if item is None:
        raise NotFound(f"{BLOCKS[kind]} hat keinen Eintrag {entry_id}.")
    session.delete(item)
    audit.record(session, audit.DASHBOARD_CONTENT_CHANGED, by=by,
                 detail=f"{BLOCKS[kind]}: Eintrag {entry_id} entfernt")


def _kind(kind: str) -> str:
    if kind not in BLOCKS:
        raise ValueError(f"unknown dashboard block {kind!r}")
    return kind


def _entry(item: NewsItem) -> Entry:
    return Entry(item.id, item.title, item.body, item.published_on)
