"""Build test gateways: settings with a cheap bcrypt cost, migrated, with demo data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bipro.config import Settings
from bipro.core.identity.passwords import hash_password
from bipro.gateway import Gateway
from store.demo.loader import load_demo
from store.migrate import upgrade

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


def demo_gateway(instance: Path, database_url: str, *, today: dt.date | None = None,
                 **overrides) -> Gateway:
    gateway = Gateway.from_settings(test_settings(instance, database_url, **overrides))
    upgrade(gateway.db.engine)
    load_demo(gateway.db, hash_password(DEMO_PASSWORD, TEST_BCRYPT_ROUNDS), today=today)
    return gateway
