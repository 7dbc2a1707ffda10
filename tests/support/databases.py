"""Fresh databases for tests: an SQLite file, or a new PostgreSQL database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from store.provision import temporary_database

POSTGRES_ENV = "BIPRO_TEST_POSTGRES_URL"


def postgres_admin_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


def backends() -> list[str]:
    """sqlite always; postgresql when the test run has a server."""
    return ["sqlite", "postgresql"] if postgres_admin_url() else ["sqlite"]


@contextmanager
def fresh_database(kind: str, folder: Path) -> Iterator[str]:
    """Yield the URL of an empty database that is removed afterwards."""
    with temporary_database(kind, folder, admin_url=postgres_admin_url(), prefix="bipro_test") as url:
        yield url
