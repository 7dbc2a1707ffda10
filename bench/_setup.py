"""Databases and gateways for benchmarks: fresh, migrated, with the demo portfolio."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from bench import Options
from bipro.config import Settings
from bipro.core.gateway import Gateway
from bipro.core.passwords import hash_password
from store.demo.loader import load_demo
from store.migrate import upgrade

DEMO_PASSWORD = "demo-passwort"


@contextmanager
def fresh_database(options: Options, kind: str) -> Iterator[str]:
    """The URL of an empty SQLite file or PostgreSQL database, removed afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{options.workdir / f'bench-{uuid.uuid4().hex[:8]}.db'}"
        return
    if not options.postgres_url:
        raise RuntimeError("no PostgreSQL URL (--postgres or BIPRO_BENCH_POSTGRES_URL)")
    admin = make_url(options.postgres_url)
    if admin.drivername == "postgresql":
        admin = admin.set(drivername="postgresql+psycopg")
    name = f"bipro_bench_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


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
    import waitress.server

    server = waitress.server.create_server(app, host="127.0.0.1", port=0, threads=threads,
                                           ident="bipro-bench")
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)


def workdir(options: Options, name: str) -> Path:
    path = options.workdir / name
    path.mkdir(parents=True, exist_ok=True)
    return path
