"""The running gateway's shared state: settings and the database."""

from __future__ import annotations

from dataclasses import dataclass

from bipro.config import Settings
from bipro.core.identity.policy import IdentityPolicy
from store.db import Database
from store.private_files import private_folder


@dataclass
class Gateway:
    """What every adapter needs: the settings and one Database for the process."""

    settings: Settings
    db: Database

    @classmethod
    def from_settings(cls, settings: Settings) -> "Gateway":
        if settings.database_url.startswith("sqlite:///"):
            private_folder(settings.instance_path)
        db = Database(
            settings.database_url,
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            statement_timeout_ms=settings.db_statement_timeout_ms,
        )
        return cls(settings=settings, db=db)

    @property
    def identity_policy(self) -> IdentityPolicy:
        # Read through each time: serve replaces the settings once it knows its address.
        return self.settings.identity_policy
