"""Row counts and checksums of the security-relevant tables, to show a request changed nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select

from store.models import Base

WATCHED = ("users", "security_tokens", "shipments", "customers", "contracts", "audit_events")


@dataclass(frozen=True)
class Snapshot:
    counts: dict[str, int]
    checksums: dict[str, str]
    last_audit_id: int

    def changed_tables(self, other: "Snapshot") -> list[str]:
        return [name for name in WATCHED
                if (self.counts[name], self.checksums[name]) != (other.counts[name], other.checksums[name])]


def take(db) -> Snapshot:
    counts, checksums = {}, {}
    last_audit = 0
    with db.session() as session:
        for name in WATCHED:
            table = Base.metadata.tables[name]
            digest = hashlib.sha256()
            rows = session.execute(select(table).order_by(*table.primary_key.columns)).all()
            for row in rows:
                digest.update(repr(tuple(row)).encode("utf-8"))
            counts[name] = len(rows)
            checksums[name] = digest.hexdigest()
            if name == "audit_events" and rows:
                last_audit = max(row.id for row in rows)
    return Snapshot(counts, checksums, last_audit)


def audit_rows_after(db, audit_id: int) -> list:
    table = Base.metadata.tables["audit_events"]
    with db.session() as session:
        return session.execute(select(table).where(table.c.id > audit_id).order_by(table.c.id)).all()
