"""Outgoing mail: through the configured SMTP server, or into the outbox folder.

``MailSettings.smtp_url`` is ``smtp://[user:password@]host[:port]`` (plain, port
25), ``smtp+starttls://...`` (STARTTLS, port 587) or ``smtps://...`` (TLS,
port 465). Without it, every message is written as an ``.eml`` file to
``MailSettings.outbox_path`` so a demo or a developer can read it.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import smtplib
import ssl
import threading
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import unquote, urlsplit

from store.private_files import private_folder, write_private_file

log = logging.getLogger("bipro.mail")

DEFAULT_PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
TIMEOUT_SECONDS = 20

# One address (an addr-spec): a dot-atom before the @, a host name of at least
# two labels after it. No display name, no second address, no quotes,
# comments, blanks, commas, semicolons or angle brackets: a value that a mail
# header could read as more than one recipient is never an address here.
_LOCAL_PART = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[^\W_](?:[^\W_]|-)*(?<!-)"
_MAIL_ADDRESS = re.compile(rf"{_LOCAL_PART}@{_LABEL}(?:\.{_LABEL})+")
MAX_ADDRESS_LENGTH = 254  # RFC 5321: the longest path a mail server takes

_pending: set[threading.Thread] = set()
_pending_lock = threading.Lock()


@dataclass(frozen=True)
class MailSettings:
    """Whom outgoing mail is from and which way it leaves (``Settings.mail`` fills it in)."""

    mail_from: str
    smtp_url: str  # empty: into the outbox folder
    outbox_path: Path


@dataclass(frozen=True)
class SmtpTarget:
    scheme: str
    host: str
    port: int
    username: str = ""
    password: str = ""


def parse_smtp_url(url: str) -> SmtpTarget:
    """The server *url* names; ValueError if it is none of the three forms."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"BIPRO_SMTP_URL must look like smtp://host:port, got {url!r}")
    return SmtpTarget(scheme=scheme, host=parts.hostname, port=parts.port or DEFAULT_PORTS[scheme],
                      username=unquote(parts.username or ""), password=unquote(parts.password or ""))


def is_mail_address(value: str) -> bool:
    """Is *value* exactly one e-mail address (``name@beispiel.de``), nothing around it?"""
    if len(value) > MAX_ADDRESS_LENGTH or _MAIL_ADDRESS.fullmatch(value) is None:
        return False
    try:
        _ascii_address(value)
    except UnicodeError:  # a label the DNS can't carry (longer than 63, say)
        return False
    return True


def _ascii_address(address: str) -> str:
    """*address* with an international domain (müller.de) in its ASCII form, as it travels."""
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.encode('idna').decode('ascii')}"


def compose(settings: MailSettings, to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message to the one address *to*; ValueError for anything else.

    Addresses are checked where they are entered; this check stays so that a
    stored value from before that rule can never send a live link to a
    second recipient.
    """
    if not is_mail_address(to):
        raise ValueError("a message goes to exactly one e-mail address")
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = _ascii_address(to)
    message["Subject"] = subject
    message["Date"] = format_datetime(dt.datetime.now(dt.timezone.utc))
    message["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2] or None)
    message.set_content(body)
    return message


def send(settings: MailSettings, message: EmailMessage) -> str:
    """Deliver *message*; returns where it went (for the log), raises on SMTP errors."""
    if not settings.smtp_url:
        path = _write_outbox(settings.outbox_path, message)
        log.info("No SMTP server configured (BIPRO_SMTP_URL); mail to %s written to %s",
                 message["To"], path)
        return str(path)
    target = parse_smtp_url(settings.smtp_url)
    if target.scheme == "smtps":
        client = smtplib.SMTP_SSL(target.host, target.port, timeout=TIMEOUT_SECONDS,
                                  context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(target.host, target.port, timeout=TIMEOUT_SECONDS)
    with client:
        if target.scheme == "smtp+starttls":
            client.starttls(context=ssl.create_default_context())
        if target.username:
            client.login(target.username, target.password)
        client.send_message(message)
    where = f"{target.host}:{target.port}"
    log.info("Mail to %s sent through %s", message["To"], where)
    return where


def send_in_background(settings: MailSettings, message: EmailMessage, what: str) -> threading.Thread:
    """Deliver *message* without making the caller wait; a failure is only logged.

    Answers that must not tell whether a mail was due (login, "Passwort
    vergessen?") take as long either way when the sending happens aside.
    """
    def deliver() -> None:
        try:
            send(settings, message)
        except Exception:
            log.exception("%s could not be sent", what)
        finally:
            with _pending_lock:
                _pending.discard(threading.current_thread())

    thread = threading.Thread(target=deliver, name="bipro-mail", daemon=True)
    with _pending_lock:
        _pending.add(thread)
    thread.start()
    return thread


def wait_for_background(timeout: float = 30) -> None:
    """Block until every mail handed to ``send_in_background`` so far is out (or failed)."""
    with _pending_lock:
        threads = list(_pending)
    for thread in threads:
        thread.join(timeout)


def _write_outbox(folder: Path, message: EmailMessage) -> Path:
    # A reset mail holds a live link: the file is readable by the gateway's account only.
    private_folder(folder)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
    return write_private_file(folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml", message.as_bytes())
