"""Databases and gateways for benchmarks: fresh, migrated, with the demo portfolio."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench import Options
from bipro.config import Settings
from bipro.core.caller import SystemCaller
from bipro.core.identity.passwords import hash_password
from bipro.embedded_server import serve_in_thread
from bipro.gateway import Gateway
from store.demo.loader import load_demo
from store.migrate import upgrade
from store.provision import temporary_database

DEMO_PASSWORD = "demo-passwort"
STAFF = SystemCaller("bench")  # the insurer's side, as the command line acts


@contextmanager
def fresh_database(options: Options, kind: str) -> Iterator[str]:
    """The URL of an empty SQLite file or PostgreSQL database, removed afterwards."""
    if kind != "sqlite" and not options.postgres_url:
        raise RuntimeError("no PostgreSQL URL (--postgres or BIPRO_BENCH_POSTGRES_URL)")
    with temporary_database(kind, options.workdir, admin_url=options.postgres_url,
                            prefix="bipro_bench") as url:
        yield url


def bench_settings(options: Options, database_url: str, bcrypt_rounds: int) -> Settings:
    instance = options.workdir / f"instance-{uuid.uuid4().hex[:6]}"
    return Settings(instance_path=instance, database_url=database_url,
                    secret_key="bench-secret", bcrypt_rounds=bcrypt_rounds)


def demo_gateway(options: Options, database_url: str, *, bcrypt_rounds: int) -> Gateway:
    """A gateway whose demo users' hashes have the given bcrypt cost."""
    gateway = Gateway.from_settings(bench_settings(options, database_url, bcrypt_rounds))
    upgrade(gateway.db.engine)
    load_demo(gateway.db, hash_password(DEMO_PASSWORD, bcrypt_rounds))
    return gateway


@contextmanager
def served_in_thread(app, threads: int = 4) -> Iterator[str]:
    """Serve *app* with waitress from a thread of this process; yield the base URL."""
    with serve_in_thread(app, threads=threads, ident="bipro-bench") as url:
        yield url


def workdir(options: Options, name: str) -> Path:
    path = options.workdir / name
    path.mkdir(parents=True, exist_ok=True)
    return path
