"""Build test gateways: settings with a cheap bcrypt cost, migrated, with demo data."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from bipro.config import Settings
from bipro.core.identity.passwords import hash_password
from bipro.gateway import Gateway
from store.demo.loader import load_demo
from store.migrate import upgrade
from tests.support.databases import fresh_database
from tests.support.demo_templates import restore_demo

TEST_BCRYPT_ROUNDS = 4  # the minimum; real deployments use 12
DEMO_PASSWORD = "demo-passwort"


def test_settings(instance: Path, database_url: str, **overrides) -> Settings:
    values = dict(
        instance_path=instance,
        database_url=database_url,
        secret_key="test-secret-key",
        bcrypt_rounds=TEST_BCRYPT_ROUNDS,
    )
    values.update(overrides)
    return Settings(**values)


@contextmanager
def empty_gateway_in(backend: str, folder: Path) -> Iterator[Gateway]:
    """A gateway on a fresh, migrated database without demo data, removed afterwards."""
    with fresh_database(backend, folder) as url:
        gateway = Gateway.from_settings(test_settings(folder / "instance", url))
        upgrade(gateway.db.engine)
        try:
            yield gateway
        finally:
            gateway.db.dispose()


def demo_gateway(instance: Path, database_url: str, *, today: dt.date | None = None,
                 **overrides) -> Gateway:
    """A gateway on the fresh database *database_url* holding the demo dated *today* (default: this day)."""
    copied = today is None and restore_demo(database_url, DEMO_PASSWORD, TEST_BCRYPT_ROUNDS)
    gateway = Gateway.from_settings(test_settings(instance, database_url, **overrides))
    if not copied:
        upgrade(gateway.db.engine)
        load_demo(gateway.db, hash_password(DEMO_PASSWORD, TEST_BCRYPT_ROUNDS), today=today)
    return gateway
