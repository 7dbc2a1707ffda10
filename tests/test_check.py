"""``bipro-gateway check`` names each configuration problem and exits non-zero."""

from __future__ import annotations

import configparser
import os
import socket
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from bipro.cli import main
from store.migrate import alembic_config, head_revision, upgrade
from tests.support.databases import fresh_database
from tests.support.processes import free_port

GOOD_SECRET = "a" * 16 + "b" * 16 + "c" * 8


@pytest.fixture(scope="module")
def migrated_url(database_url):
    engine = create_engine(database_url)
    upgrade(engine)
    engine.dispose()
    return database_url


@pytest.fixture
def env(monkeypatch, tmp_path):
    """A clean BIPRO_* environment; tests set what they check."""
    for name in list(os.environ):
        if name.startswith("BIPRO_") and not name.startswith("BIPRO_TEST_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("BIPRO_INSTANCE_PATH", str(tmp_path))
    return monkeypatch


def run_check(capsys) -> tuple[int, dict[str, str]]:
    """The exit code and the verdict line of each topic."""
    code = main(["check"])
    lines = capsys.readouterr().out.splitlines()
    verdicts = {}
    for line in lines[:-1]:
        verdict, _, rest = line.partition("  ")
        topic, _, _detail = rest.strip().partition(": ")
        verdicts[topic] = line
        assert verdict.strip() in ("in Ordnung", "FEHLER"), line
    assert lines[-1] == ("Alles in Ordnung." if code == 0 else
                         f"{sum(v.startswith('FEHLER') for v in verdicts.values())} Problem(e) gefunden; "
                         "bitte vor dem Start beheben.")
    return code, verdicts


def production(env, url: str, **more: str) -> None:
    """A production configuration that passes, changed by *more*."""
    settings = dict(BIPRO_ENV="production", BIPRO_SECRET_KEY=GOOD_SECRET, BIPRO_DATABASE_URL=url,
                    BIPRO_PUBLIC_URL="https://extranet.docura.example",
                    BIPRO_SMTP_URL=f"smtp://127.0.0.1:{listening_port()}")
    settings.update(more)
    for name, value in settings.items():
        env.setenv(name, value)


_listener = None


def listening_port() -> int:
    """A port something listens on, standing in for a mail server (the check only connects)."""
    global _listener
    if _listener is None:
        _listener = socket.create_server(("127.0.0.1", 0))
    return _listener.getsockname()[1]


def test_a_good_configuration_passes(env, capsys, migrated_url, backend):
    production(env, migrated_url)
    code, verdicts = run_check(capsys)
    assert code == 0, verdicts
    assert f"Schema auf Migration {head_revision()}" in verdicts["Datenbank"]
    assert ("pg_trgm" in verdicts) == (backend == "postgresql")


def test_development_defaults_pass(env, capsys, migrated_url):
    env.setenv("BIPRO_DATABASE_URL", migrated_url)
    code, verdicts = run_check(capsys)
    assert code == 0, verdicts
    assert "Mails gehen in den Ordner" in verdicts["BIPRO_SMTP_URL"]


@pytest.mark.parametrize("secret, words", [
    (None, "BIPRO_SECRET_KEY is not set"),
    ("development-only-secret-do-not-use-in-production", "Entwicklungsschlüssel"),
    ("kurz", "zu kurz (4 Zeichen)"),
])
def test_production_needs_a_real_secret_key(env, capsys, migrated_url, secret, words):
    production(env, migrated_url)
    if secret is None:
        env.delenv("BIPRO_SECRET_KEY")
    else:
        env.setenv("BIPRO_SECRET_KEY", secret)
    code, verdicts = run_check(capsys)
    assert code == 1
    assert words in "\n".join(v for v in verdicts.values() if v.startswith("FEHLER"))


@pytest.mark.parametrize("url, words", [
    ("http://127.0.0.1:8080", "zeigt auf diesen Rechner"),
    ("https://localhost", "zeigt auf diesen Rechner"),
    ("http://extranet.docura.example", "ist nicht https"),
    ("ftp://extranet.docura.example", "keine Adresse der Form"),
    ("https://extranet.docura.example:http", "keine gültige Portnummer"),
    ('https://extranet.docura.example/"><a b="', "nicht erlaubt"),
])
def test_public_url(env, capsys, migrated_url, url, words):
    production(env, migrated_url, BIPRO_PUBLIC_URL=url)
    code, verdicts = run_check(capsys)
    assert code == 1
    assert verdicts["BIPRO_PUBLIC_URL"].startswith("FEHLER") and words in verdicts["BIPRO_PUBLIC_URL"]


def test_database_missing_behind_or_unreachable(env, capsys, backend, tmp_path):
    env.setenv("BIPRO_DATABASE_URL", f"sqlite:///{tmp_path / 'nie-angelegt.db'}")
    assert run_check(capsys)[1]["Datenbank"].endswith("gibt es nicht (bipro-gateway init-db legt sie an).")
    assert not (tmp_path / "nie-angelegt.db").exists()  # the check creates nothing

    env.setenv("BIPRO_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    code, verdicts = run_check(capsys)
    assert code == 1 and "nicht erreichbar" in verdicts["Datenbank"]
    assert "pg_trgm" not in verdicts

    behind = ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(head_revision()).down_revision
    with fresh_database(backend, tmp_path) as url:
        engine = create_engine(url)
        upgrade(engine, behind)
        engine.dispose()
        env.setenv("BIPRO_DATABASE_URL", url)
        code, verdicts = run_check(capsys)
    assert code == 1
    assert f"steht auf Migration {behind}, die neueste ist {head_revision()}" in verdicts["Datenbank"]


@pytest.mark.postgres
def test_missing_pg_trgm(env, capsys, backend, tmp_path):
    if backend != "postgresql":
        pytest.skip("pg_trgm is a PostgreSQL extension")
    with fresh_database(backend, tmp_path) as url:
        engine = create_engine(url)
        upgrade(engine)
        with engine.begin() as conn:
            conn.execute(text("DROP EXTENSION pg_trgm CASCADE"))
        engine.dispose()
        env.setenv("BIPRO_DATABASE_URL", url)
        code, verdicts = run_check(capsys)
    assert code == 1
    assert verdicts["pg_trgm"].startswith("FEHLER") and "CREATE EXTENSION pg_trgm" in verdicts["pg_trgm"]
    assert verdicts["Datenbank"].startswith("in Ordnung")


@pytest.mark.parametrize("settings, topic, words", [
    ({"BIPRO_SMTP_URL": "http://mail.docura.example"}, "BIPRO_SMTP_URL", "nicht die Form smtp://"),
    ({"BIPRO_SMTP_URL": "UNREACHABLE"}, "BIPRO_SMTP_URL", "nicht erreichbar"),
    ({"BIPRO_SMTP_URL": ""}, "BIPRO_SMTP_URL", "Kein Mailserver gesetzt"),
    ({"BIPRO_MAIL_FROM": "extranet"}, "BIPRO_MAIL_FROM", "keine Mailadresse"),
])
def test_mail_settings(env, capsys, migrated_url, settings, topic, words):
    if settings.get("BIPRO_SMTP_URL") == "UNREACHABLE":
        settings = {"BIPRO_SMTP_URL": f"smtp+starttls://127.0.0.1:{free_port()}"}
    production(env, migrated_url, **settings)
    code, verdicts = run_check(capsys)
    assert code == 1
    assert verdicts[topic].startswith("FEHLER") and words in verdicts[topic], verdicts


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"bipro-gateway {version_of_checkout()}"


def version_of_checkout() -> str:
    config = configparser.ConfigParser()
    config.read(Path(__file__).resolve().parents[1] / "setup.cfg")
    return config["metadata"]["version"]


def test_data_key_must_be_a_fernet_key(env, capsys, migrated_url):
    from cryptography.fernet import Fernet

    production(env, migrated_url, BIPRO_DATA_KEY="kein-schluessel")
    code, verdicts = run_check(capsys)
    assert code == 1 and verdicts["BIPRO_DATA_KEY"].startswith("FEHLER")
    production(env, migrated_url, BIPRO_DATA_KEY=Fernet.generate_key().decode())
    code, verdicts = run_check(capsys)
    assert code == 0
    assert not verdicts["BIPRO_DATA_KEY"].startswith("FEHLER")
