"""Settings from the environment, with working defaults for the embedded demo.

Every variable is documented in the README. ``Settings.from_env()`` is the
only place that reads ``os.environ``; the adapters receive a Settings, the
core only the share it needs (``Settings.identity_policy``, ``Settings.mail``).
"""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from bipro.core.identity.policy import IdentityPolicy
from bipro.core.mail import MailSettings

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8080"
# http(s), a host name or IPv4 address or [IPv6], an optional port and path;
# nothing that could break out of an XML attribute or an HTML link.
_PUBLIC_URL = re.compile(r"https?://(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])"
                         r"(?::\d{1,5})?(?:/[A-Za-z0-9._~/-]*)?")


# Signs portal cookies outside production; public, so never good enough for a real gateway.
DEVELOPMENT_SECRET = "development-only-secret-do-not-use-in-production"


class ConfigError(Exception):
    """A setting is missing or malformed; the gateway refuses to start."""


def default_instance_path() -> Path:
    return Path.cwd() / "instance"


@dataclass(frozen=True)
class Settings:
    instance_path: Path = field(default_factory=default_instance_path)
    database_url: str = ""
    secret_key: str = ""
    production: bool = False
    token_ttl: int = 600  # seconds a SecurityContextToken lives
    bcrypt_rounds: int = 12
    lockout_threshold: int = 5  # failures in a row
    lockout_minutes: int = 15
    session_idle_minutes: int = 30  # portal
    session_max_hours: int = 12  # portal, however active
    reset_token_minutes: int = 30
    first_password_hours: int = 72  # validity of the "Passwort festlegen" link of a new login
    smtp_url: str = ""  # smtp://user:pass@host:port, empty: write mails to the outbox folder
    mail_from: str = "extranet@docura.example"
    public_url: str = DEFAULT_PUBLIC_URL  # base of portal links (440, reset mails) and WSDL addresses
    public_url_configured: bool = False  # BIPRO_PUBLIC_URL was set; else serve derives it
    mtom: bool = True  # getShipment answers MTOM by default
    shipment_days: int = 90  # VerfuegbarBis of published shipments
    enumeration_minutes: int = 30  # lifetime of a 480 search context
    max_request_bytes: int = 10 * 1024 * 1024
    intake_max_bytes: int = 100 * 1024 * 1024  # one document intake request (POST /intake/...)
    db_pool_size: int = 5
    db_max_overflow: int = 10
    db_statement_timeout_ms: int = 30_000
    require_2fa: bool = False  # portal logins need a second factor; STS only via BiPRO-Zugänge then
    data_key: str = ""  # Fernet key for secrets at rest (TOTP); empty: derived from secret_key
    metrics: bool = False  # GET /metrics (Prometheus)
    metrics_token: str = ""  # bearer token /metrics asks for; empty: none
    log_format: str = "text"  # "text" for people, "json" for one object per line

    @property
    def outbox_path(self) -> Path:
        return self.instance_path / "outbox"

    # The core's shares, built once per Settings (frozen); served_at() makes new Settings with their own.
    @cached_property
    def mail(self) -> MailSettings:
        return MailSettings(mail_from=self.mail_from, smtp_url=self.smtp_url, outbox_path=self.outbox_path)

    @cached_property
    def identity_policy(self) -> IdentityPolicy:
        return IdentityPolicy(
            bcrypt_rounds=self.bcrypt_rounds,
            lockout_threshold=self.lockout_threshold,
            lockout_minutes=self.lockout_minutes,
            session_idle_minutes=self.session_idle_minutes,
            session_max_hours=self.session_max_hours,
            reset_token_minutes=self.reset_token_minutes,
            first_password_hours=self.first_password_hours,
            require_2fa=self.require_2fa,
            data_key=self.data_key,
            secret_key=self.secret_key,
            public_url=self.public_url,
            mail=self.mail,
        )

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> "Settings":
        env = os.environ if environ is None else environ
        instance = Path(env.get("BIPRO_INSTANCE_PATH") or default_instance_path())
        production = env.get("BIPRO_ENV", "development").lower() == "production"
        secret = env.get("BIPRO_SECRET_KEY", "")
        if not secret:
            if production:
                raise ConfigError(
                    "BIPRO_SECRET_KEY is not set. In production the gateway needs a "
                    "long random secret (for example: python -c 'import secrets; "
                    "print(secrets.token_hex(32))')."
                )
            secret = DEVELOPMENT_SECRET
        settings = cls(
            instance_path=instance,
            database_url=env.get("BIPRO_DATABASE_URL") or f"sqlite:///{instance / 'bipro.db'}",
            secret_key=secret,
            production=production,
            token_ttl=_int(env, "BIPRO_TOKEN_TTL", 600, minimum=30),
            bcrypt_rounds=_int(env, "BIPRO_BCRYPT_ROUNDS", 12, minimum=4),
            lockout_threshold=_int(env, "BIPRO_LOCKOUT_THRESHOLD", 5, minimum=1),
            lockout_minutes=_int(env, "BIPRO_LOCKOUT_MINUTES", 15, minimum=1),
            session_idle_minutes=_int(env, "BIPRO_SESSION_IDLE_MINUTES", 30, minimum=1),
            session_max_hours=_int(env, "BIPRO_SESSION_MAX_HOURS", 12, minimum=1),
            reset_token_minutes=_int(env, "BIPRO_RESET_TOKEN_MINUTES", 30, minimum=1),
            first_password_hours=_int(env, "BIPRO_FIRST_PASSWORD_HOURS", 72, minimum=1),
            smtp_url=env.get("BIPRO_SMTP_URL", ""),
            mail_from=env.get("BIPRO_MAIL_FROM", "extranet@docura.example"),
            # checked where it is used (serve refuses to start, check reports it)
            public_url=(env.get("BIPRO_PUBLIC_URL") or DEFAULT_PUBLIC_URL).strip().rstrip("/"),
            public_url_configured=bool(env.get("BIPRO_PUBLIC_URL")),
            mtom=env.get("BIPRO_MTOM", "1").lower() not in ("0", "false", "no"),
            shipment_days=_int(env, "BIPRO_SHIPMENT_DAYS", 90, minimum=1),
            enumeration_minutes=_int(env, "BIPRO_ENUMERATION_MINUTES", 30, minimum=1),
            max_request_bytes=_int(env, "BIPRO_MAX_REQUEST_BYTES", 10 * 1024 * 1024, minimum=1024),
            intake_max_bytes=_int(env, "BIPRO_INTAKE_MAX_BYTES", 100 * 1024 * 1024, minimum=1024),
            db_pool_size=_int(env, "BIPRO_DB_POOL_SIZE", 5, minimum=1),
            db_max_overflow=_int(env, "BIPRO_DB_MAX_OVERFLOW", 10, minimum=0),
            db_statement_timeout_ms=_int(env, "BIPRO_DB_STATEMENT_TIMEOUT_MS", 30_000, minimum=100),
            require_2fa=env.get("BIPRO_REQUIRE_2FA", "0").lower() in ("1", "true", "yes"),
            data_key=env.get("BIPRO_DATA_KEY", ""),
            metrics=env.get("BIPRO_METRICS", "0").lower() in ("1", "true", "yes"),
            metrics_token=env.get("BIPRO_METRICS_TOKEN", ""),
            log_format=_choice(env, "BIPRO_LOG_FORMAT", ("text", "json")),
        )
        return replace(settings, **overrides) if overrides else settings

    def served_at(self, base_url: str) -> "Settings":
        """These settings for a server listening at *base_url*, unless BIPRO_PUBLIC_URL says otherwise."""
        if self.public_url_configured:
            return self  # named by the operator; a server's own address never overrides it
        return replace(self, public_url=checked_public_url(base_url))


def checked_public_url(url: str) -> str:
    """*url* without a trailing slash, or ConfigError if it is not a plain http(s) base URL."""
    url = url.strip().rstrip("/")
    if not _PUBLIC_URL.fullmatch(url):
        raise ConfigError(f"BIPRO_PUBLIC_URL must be a plain http(s) URL such as "
                          f"https://bipro.example.de, got {url!r}")
    return url


def listening_url(host: str, port: int) -> str:
    """The base URL of a server bound to *host*:*port* (all addresses: the local one)."""
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    try:
        if ipaddress.ip_address(host).version == 6:
            host = f"[{host}]"
    except ValueError:
        pass  # a host name
    return f"http://{host}:{port}"


def _int(env, name: str, default: int, *, minimum: int) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def _choice(env, name: str, allowed: tuple[str, ...]) -> str:
    """One of *allowed* (the first is the default)."""
    value = (env.get(name) or allowed[0]).strip().lower()
    if value not in allowed:
        raise ConfigError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
    return value
