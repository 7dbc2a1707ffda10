"""What ``bipro-gateway check`` looks at before a start, in plain words.

Each check gives Findings: a topic, what was found, and a problem when
something is wrong. Nothing here changes anything: no schema, no database
file, no mail is created or sent.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bipro.config import DEVELOPMENT_SECRET, ConfigError, Settings, checked_public_url
from bipro.core.identity.secret_box import valid_key
from bipro.core.mail import parse_smtp_url
from bipro.core.operations.readiness import UNREACHABLE, database_problem, newest_migration
from store.db import Database

MIN_SECRET_LENGTH = 32
CONNECT_SECONDS = 5


@dataclass(frozen=True)
class Finding:
    topic: str
    detail: str = ""  # what was found, when all is well
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def check_settings(settings: Settings) -> list[Finding]:
    return [_secret_key(settings), _data_key(settings), _public_url(settings), *_mail(settings)]


def check_database(settings: Settings) -> list[Finding]:
    """Reachable, at the newest migration, and on PostgreSQL with pg_trgm."""
    missing = _missing_sqlite_file(settings.database_url)
    if missing:
        return [Finding("Datenbank", problem=f"Die SQLite-Datei {missing} gibt es nicht "
                                             "(bipro-gateway init-db legt sie an).")]
    db = Database(settings.database_url, pool_size=1, max_overflow=0,
                  statement_timeout_ms=settings.db_statement_timeout_ms)
    try:
        problem = database_problem(db)
        findings = [Finding("Datenbank", detail=f"erreichbar, Schema auf Migration {newest_migration()}",
                            problem=problem)]
        if not db.is_sqlite and problem != UNREACHABLE:
            findings.append(_pg_trgm(db))
        return findings
    finally:
        db.dispose()


def _secret_key(settings: Settings) -> Finding:
    topic = "BIPRO_SECRET_KEY"
    if not settings.production:
        return Finding(topic, detail="Entwicklungsmodus (BIPRO_ENV=production prüft den Schlüssel streng)")
    if settings.secret_key == DEVELOPMENT_SECRET:
        return Finding(topic, problem="Der Schlüssel ist der öffentlich bekannte Entwicklungsschlüssel.")
    if len(settings.secret_key) < MIN_SECRET_LENGTH:
        return Finding(topic, problem=f"Der Schlüssel ist zu kurz ({len(settings.secret_key)} Zeichen); "
                                      f"nötig sind mindestens {MIN_SECRET_LENGTH} zufällige Zeichen "
                                      "(z. B. python -c 'import secrets; print(secrets.token_hex(32))').")
    return Finding(topic, detail=f"gesetzt ({len(settings.secret_key)} Zeichen)")


def _data_key(settings: Settings) -> Finding:
    topic = "BIPRO_DATA_KEY"
    if not settings.data_key:
        return Finding(topic, detail="nicht gesetzt: TOTP-Schlüssel werden mit einem aus BIPRO_SECRET_KEY "
                                     "abgeleiteten Schlüssel verschlüsselt")
    if not valid_key(settings.data_key):
        return Finding(topic, problem="Das ist kein Fernet-Schlüssel (32 Bytes, URL-sicheres Base64); erzeugen "
                                      "mit python -c 'from cryptography.fernet import Fernet; "
                                      "print(Fernet.generate_key().decode())'.")
    return Finding(topic, detail="gesetzt")


def _public_url(settings: Settings) -> Finding:
    topic = "BIPRO_PUBLIC_URL"
    url = settings.public_url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        return Finding(topic, problem=f"{url!r} ist keine Adresse der Form https://host[:port][/pfad].")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return Finding(topic, problem=f"{url!r} hat keine gültige Portnummer.")
    try:
        checked_public_url(url)  # what serve insists on: nothing that could break out of a link
    except ConfigError:
        return Finding(topic, problem=f"{url!r} enthält Zeichen, die in dieser Adresse nicht erlaubt sind.")
    if settings.production:
        if _is_local(parts.hostname):
            return Finding(topic, problem=f"{url} zeigt auf diesen Rechner; Links in Mails und "
                                          "Extranet-Links (Norm 440) erreichen die Makler so nicht.")
        if parts.scheme != "https":
            return Finding(topic, problem=f"{url} ist nicht https; Links zum Portal müssen verschlüsselt sein.")
    return Finding(topic, detail=url)


def _is_local(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _mail(settings: Settings) -> list[Finding]:
    sender = settings.mail_from
    local, _at, domain = sender.rpartition("@")
    findings = [Finding("BIPRO_MAIL_FROM", detail=sender) if local and "." in domain and " " not in sender
                else Finding("BIPRO_MAIL_FROM", problem=f"{sender!r} ist keine Mailadresse.")]
    topic = "BIPRO_SMTP_URL"
    if not settings.smtp_url:
        if settings.production:
            findings.append(Finding(topic, problem="Kein Mailserver gesetzt: Mails (Passwort vergessen) "
                                                   f"landen nur im Ordner {settings.outbox_path}."))
        else:
            findings.append(Finding(topic, detail=f"nicht gesetzt; Mails gehen in den Ordner {settings.outbox_path}"))
        return findings
    try:
        target = parse_smtp_url(settings.smtp_url)
    except ValueError:
        findings.append(Finding(topic, problem="Die Adresse hat nicht die Form smtp://host:port, "
                                               "smtp+starttls://host:port oder smtps://host:port."))
        return findings
    where = f"{target.host}:{target.port}"
    try:
        with socket.create_connection((target.host, target.port), timeout=CONNECT_SECONDS):
            pass
    except OSError as exc:
        findings.append(Finding(topic, problem=f"Der Mailserver {where} ist nicht erreichbar ({exc})."))
    else:
        findings.append(Finding(topic, detail=f"Mailserver {where} erreichbar"))
    return findings


def _missing_sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    path = Path(parsed.database)
    return None if path.is_file() else path


def _pg_trgm(db: Database) -> Finding:
    try:
        with db.engine.connect() as conn:
            present = conn.scalar(text("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'"))
    except SQLAlchemyError as exc:
        return Finding("pg_trgm", problem=f"Die Erweiterung ließ sich nicht abfragen ({exc.__class__.__name__}).")
    if not present:
        return Finding("pg_trgm", problem="Die PostgreSQL-Erweiterung pg_trgm fehlt (für die Suche); "
                                          "ein Administrator legt sie an: CREATE EXTENSION pg_trgm;")
    return Finding("pg_trgm", detail="vorhanden")
