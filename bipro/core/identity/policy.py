"""The rules logins, passwords and portal sessions follow, as the identity use cases receive them."""

from __future__ import annotations

from dataclasses import dataclass

from bipro.core.mail import MailSettings


@dataclass(frozen=True)
class IdentityPolicy:
    """The identity core's share of the configuration (``Settings.identity_policy`` fills it in)."""

    bcrypt_rounds: int  # cost of every password hash stored
    lockout_threshold: int  # failed checks in a row that lock a login
    lockout_minutes: int
    session_idle_minutes: int  # portal
    session_max_hours: int  # portal, however active
    reset_token_minutes: int  # lifetime of a "Passwort vergessen?" link
    first_password_hours: int  # lifetime of the "Passwort festlegen" link of a new login
    require_2fa: bool  # portal logins need a second factor
    data_key: str  # Fernet key for secrets at rest; empty: derived from secret_key
    secret_key: str  # only for deriving the data key
    public_url: str  # base of the links in mails
    mail: MailSettings  # lock notices and links leave this way
