"""Throw-away databases for tests and benchmarks: an SQLite file or a new PostgreSQL database."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url, text


@contextmanager
def temporary_database(kind: str, folder: Path, *, admin_url: str | None = None,
                       prefix: str = "bipro_tmp") -> Iterator[str]:
    """Yield the URL of an empty database that is removed afterwards.

    ``kind`` is ``"sqlite"`` (a new file in *folder*) or ``"postgresql"`` (a new
    database created through *admin_url*, dropped at the end even while in use).
    """
    if kind == "sqlite":
        yield f"sqlite:///{folder / f'{prefix}-{uuid.uuid4().hex[:8]}.db'}"
        return
    if not admin_url:
        raise ValueError("a PostgreSQL admin URL is needed for a temporary PostgreSQL database")
    admin = make_url(admin_url)
    if admin.drivername == "postgresql":
        admin = admin.set(drivername="postgresql+psycopg")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
