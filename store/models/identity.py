"""Credentials and sessions shared by the BiPRO services and the portal."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.base import Base, utcnow
from store.models.portfolio import Broker


class User(Base):
    """A login (Benutzer); the same name and password serve the portal and BiPRO."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    broker_id: Mapped[int] = mapped_column(ForeignKey("brokers.id"), index=True)
    login: Mapped[str] = mapped_column(String(60), unique=True)
    password_hash: Mapped[str] = mapped_column(String(100))
    full_name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    # Unused since migration 0007: failures and locks are counted per login
    # name in login_failures. Kept so older code and data still load.
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    password_changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # How getShipment delivers files to this login: "mtom" or "base64"; NULL follows BIPRO_MTOM.
    transfer_format: Mapped[str | None] = mapped_column(String(10))
    # A BiPRO-Zugang (technical login) of the personal login owner_user_id: it
    # works only at the STS, for the services named in bipro_services.
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    bipro_services: Mapped[str | None] = mapped_column(String(10))
    revoked_at: Mapped[dt.datetime | None]
    last_token_at: Mapped[dt.datetime | None]  # set by the STS, not on every call
    # "Nur über BiPRO-Zugänge": the personal login gets no token at the STS.
    bipro_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The second factor (TOTP): secrets Fernet-encrypted with BIPRO_DATA_KEY, never in clear text.
    totp_secret: Mapped[str | None] = mapped_column(Text)
    totp_pending: Mapped[str | None] = mapped_column(Text)  # during setup, until a code confirms it
    totp_enabled_at: Mapped[dt.datetime | None]
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)  # the last accepted code's time step

    broker: Mapped[Broker] = relationship()


class SecurityToken(Base):
    """A BiPRO SecurityContextToken; only the SHA-256 of the identifier is kept."""

    __tablename__ = "security_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)
    revoked_at: Mapped[dt.datetime | None]


class PasswordResetToken(Base):
    """A one-time link for "Passwort vergessen?"; stored hashed."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]


class PortalSession(Base):
    """A portal login; the cookie carries the id, so logout ends it server-side."""

    __tablename__ = "portal_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[dt.datetime | None]
    remote_addr: Mapped[str] = mapped_column(String(64), default="")


class RecoveryCode(Base):
    """A one-time recovery code of the second factor; only its SHA-256 is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[dt.datetime | None]
