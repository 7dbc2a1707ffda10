"""The demo portfolio at benchmark scale, built once and kept between runs.

``python -m bipro demo --customers N --contracts M`` takes minutes at full
scale, so the databases are cached: an SQLite file in the cache folder and a
PostgreSQL database named after the key. The key is the scale plus a hash of
what decides their content and schema (the demo generator, the search text,
the sort keys, the search indexes, the migrations): change any of them and
the next run builds afresh. A build goes to a temporary name first and is renamed when
complete, so a run that was stopped never leaves a half-built database behind
that a later run would take for finished.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from bench import Options

ROOT = Path(__file__).resolve().parents[1]
_CONTENT = ("store/demo", "store/migrations/versions", "store/search_text.py", "store/code_lists.py",
            "store/sort_keys.py", "store/search_index.py", "store/row_counts.py")


def content_version() -> str:
    """A short hash of the sources that decide the demo's rows and schema."""
    digest = hashlib.sha256()
    for entry in _CONTENT:
        path = ROOT / entry
        files = sorted(path.glob("*.py")) if path.is_dir() else [path]
        for file in files:
            digest.update(file.relative_to(ROOT).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:10]


def cache_key(customers: int, contracts: int) -> str:
    return f"{customers}x{contracts}_{content_version()}"


def big_database(options: Options, kind: str, customers: int, contracts: int) -> str:
    """URL of a database holding the demo with *customers*/*contracts* for broker demo."""
    key = cache_key(customers, contracts)
    if kind == "sqlite":
        return _sqlite(options, key, customers, contracts)
    return _postgres(options, key, customers, contracts)


def _build(url: str, customers: int, contracts: int) -> None:
    started = time.monotonic()
    print(f"   building the demo ({customers:,} customers, {contracts:,} contracts) "
          f"in {make_url(url).render_as_string()} ...", file=sys.stderr, flush=True)
    # Building the trigram index of a million rows takes longer than the
    # gateway's default statement timeout of 30 s on PostgreSQL.
    env = dict(os.environ, BIPRO_DATABASE_URL=url, BIPRO_BCRYPT_ROUNDS="4",
               BIPRO_SECRET_KEY="bench-secret", BIPRO_DB_STATEMENT_TIMEOUT_MS="3600000")
    subprocess.run([sys.executable, "-m", "bipro", "demo", "--customers", str(customers),
                    "--contracts", str(contracts)], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    print(f"   built in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)


def _sqlite(options: Options, key: str, customers: int, contracts: int) -> str:
    options.cachedir.mkdir(parents=True, exist_ok=True)
    final = options.cachedir / f"demo-{key}.db"
    if not final.exists():
        partial = final.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        _build(f"sqlite:///{partial}", customers, contracts)
        partial.rename(final)
    return f"sqlite:///{final}"


def _admin_engine(options: Options):
    if not options.postgres_url:
        raise RuntimeError("no PostgreSQL URL (--postgres or BIPRO_BENCH_POSTGRES_URL)")
    admin = make_url(options.postgres_url)
    if admin.drivername == "postgresql":
        admin = admin.set(drivername="postgresql+psycopg")
    return admin, create_engine(admin, isolation_level="AUTOCOMMIT")


def _postgres(options: Options, key: str, customers: int, contracts: int) -> str:
    admin, engine = _admin_engine(options)
    name, partial = f"bipro_bench_{key}", f"bipro_bench_{key}_partial"
    try:
        with engine.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
            if not exists:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{partial}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{partial}"'))
        if not exists:
            partial_url = admin.set(database=partial).render_as_string(hide_password=False)
            _build(partial_url, customers, contracts)
            # What autovacuum does soon after a bulk load anyway: statistics
            # for the planner and a visibility map for index-only scans.
            vacuum = create_engine(partial_url, isolation_level="AUTOCOMMIT")
            with vacuum.connect() as conn:
                conn.execute(text("VACUUM ANALYZE"))
            vacuum.dispose()
            with engine.connect() as conn:
                conn.execute(text(f'ALTER DATABASE "{partial}" RENAME TO "{name}"'))
    finally:
        engine.dispose()
    return admin.set(database=name).render_as_string(hide_password=False)
