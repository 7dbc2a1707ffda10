"""Log lines: readable text by default, one JSON object per line with ``BIPRO_LOG_FORMAT=json``.

Every line written while a request is answered carries its request id (and
a SOAP call's ProzessID), taken from the request context. In JSON mode the
boundary also writes one line per request (``bipro.request``); in text mode
that line stays off and ``--access-log`` keeps its meaning.

Nothing here writes a password, token or reset link: the request line has
the path without its query, with a reset link's token cut out.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys

from bipro.observability import context

REQUEST_LOGGER = "bipro.request"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# The request line's fields, in this order, after time, level and logger.
REQUEST_FIELDS = ("request_id", "prozess_id", "method", "path", "door", "service", "operation", "login",
                  "vermittlernummer", "status", "meldung", "duration_ms", "bytes")

_style = {"json": False}
_handler: logging.Handler | None = None


class RequestIdFilter(logging.Filter):
    """Puts the open request's id (and ProzessID) on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        current = context.current()
        if not hasattr(record, "request_id"):
            record.request_id = current.request_id if current else "-"
        if not hasattr(record, "prozess_id"):
            record.prozess_id = current.prozess_id if current else ""
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message and the request's ids."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,  # which gunicorn worker
        }
        request_id = getattr(record, "request_id", "-")
        if request_id != "-":
            entry["request_id"] = request_id
        if getattr(record, "prozess_id", ""):
            entry["prozess_id"] = record.prozess_id
        fields = getattr(record, "request", None)
        if fields:
            entry.update(fields)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def formatter() -> logging.Formatter:
    return JsonFormatter() if _style["json"] else logging.Formatter(TEXT_FORMAT)


def configure(log_format: str = "text", *, level: int = logging.INFO, stream=None) -> None:
    """Send the gateway's log lines to *stream* (stderr) in the chosen format; idempotent."""
    global _handler
    _style["json"] = log_format == "json"
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
    _handler = logging.StreamHandler(stream or sys.stderr)
    _handler.addFilter(RequestIdFilter())
    _handler.setFormatter(formatter())
    root.addHandler(_handler)
    root.setLevel(level)
    # The request line is the JSON access log; text mode keeps --access-log for that.
    logging.getLogger(REQUEST_LOGGER).setLevel(logging.INFO if _style["json"] else logging.WARNING)
    # Spyne announces each service it builds at INFO: noise for an operator.
    spyne = logging.getLogger("spyne")
    if spyne.level == logging.NOTSET:
        spyne.setLevel(logging.WARNING)


def remove() -> None:
    """Take our handler off the root logger again (embedding, tests)."""
    global _handler
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler = None
    _style["json"] = False
    logging.getLogger(REQUEST_LOGGER).setLevel(logging.NOTSET)


def json_enabled() -> bool:
    return _style["json"]


def restyle(logger: logging.Logger) -> None:
    """Give another library's handlers (gunicorn's) our format and request ids."""
    for handler in logger.handlers:
        handler.addFilter(RequestIdFilter())
        handler.setFormatter(formatter())


def request_lines_wanted() -> bool:
    """Whether ``log_request`` would write anything (JSON mode, or a level set by hand)."""
    return logging.getLogger(REQUEST_LOGGER).isEnabledFor(logging.INFO)


def log_request(fields: dict) -> None:
    """The one line per request (JSON mode), fields as named in ``REQUEST_FIELDS``."""
    logger = logging.getLogger(REQUEST_LOGGER)
    if logger.isEnabledFor(logging.INFO):
        ordered = {name: fields.get(name) for name in REQUEST_FIELDS}
        logger.info("%s %s %s", fields.get("method"), fields.get("path"), fields.get("status"),
                    extra={"request": ordered})
