"""The WSGI boundary of every observed request: its id, its timing, its log line and metrics.

The request id is the ``X-Request-ID`` the trusted reverse proxy sent, or
one made here; it goes back in the response's ``X-Request-ID`` header. A
request counts as coming from the proxy only when the server marked it so
(``mark_trusted_peer``, applied where the server still sees the peer's own
address, before waitress rewrites it from ``X-Forwarded-For``).

The context stays open until the server closes the answer, so a streamed
download's bytes and time are counted in full.
"""

from __future__ import annotations

import logging
import re
import time

from bipro.observability import context, logs, metrics
from bipro.observability.context import SOAP

log = logging.getLogger("bipro.request")

TRUSTED_PEER_KEY = "bipro.trusted_peer"
# A proxy's id is taken as it is if it looks like one; anything else is replaced.
PROXY_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")


def mark_trusted_peer(app, trusted_proxy: str):
    """Wrap the server's outermost app: note whether the peer is the trusted proxy."""

    def marked(environ, start_response):
        peer = environ.get("REMOTE_ADDR", "")
        environ[TRUSTED_PEER_KEY] = bool(trusted_proxy) and trusted_proxy in ("*", peer)
        return app(environ, start_response)

    return marked


def enter_soap(service: str) -> None:
    """The request is a call of BiPRO *service*: its log lines carry a ProzessID from now on.

    Without a proxy's id the ProzessID is the request id itself, so one id
    finds the call in the logs and in the broker's answer.
    """
    current = context.current()
    if current is None:
        return
    current.door, current.service = SOAP, service
    current.prozess_id = context.new_id() if current.from_proxy else current.request_id


class ObservedRequests:
    """WSGI middleware around the routed application."""

    def __init__(self, app, *, on_finish=None) -> None:
        self.app = app
        self.on_finish = on_finish  # called after each request (the pool gauges)

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        proxy_id = environ.get("HTTP_X_REQUEST_ID", "") if environ.get(TRUSTED_PEER_KEY) else ""
        from_proxy = bool(PROXY_ID.match(proxy_id))
        current = context.begin(proxy_id if from_proxy else context.new_id())
        current.from_proxy = from_proxy
        seen = {"status": "500"}

        def start(status, headers, exc_info=None):
            seen["status"] = status.split(" ", 1)[0]
            headers = [(k, v) for k, v in headers if k.lower() != "x-request-id"]
            headers.append(("X-Request-ID", current.request_id))
            return start_response(status, headers, exc_info)

        try:
            body = self.app(environ, start)
        except BaseException:
            self._finish(current, environ, seen["status"], started, 0)
            raise
        return _Counted(body, lambda sent: self._finish(current, environ, seen["status"], started, sent))

    def _finish(self, current, environ, status: str, started: float, sent: int) -> None:
        seconds = time.perf_counter() - started
        try:
            metrics.record_request(current, status, seconds)
            if logs.request_lines_wanted():  # text mode: no line, so nothing to put in one
                logs.log_request({
                    "request_id": current.request_id,
                    "prozess_id": current.prozess_id or None,
                    "method": environ.get("REQUEST_METHOD", ""),
                    "path": _redacted(environ.get("PATH_INFO", "")),
                    "door": current.door or None,
                    "service": current.service or None,
                    "operation": current.operation or None,
                    "login": current.login or None,
                    "vermittlernummer": current.broker_number or None,
                    "status": int(status) if status.isdigit() else status,
                    "meldung": current.meldung or None,
                    "duration_ms": round(seconds * 1000, 1),
                    "bytes": sent,
                })
            if self.on_finish is not None:
                self.on_finish()
        except Exception:  # watching must never break an answer
            log.exception("recording the request failed")
        finally:
            context.end()


class _Counted:
    """The answer's body, counting its bytes; calls back once when the server closes it."""

    def __init__(self, body, on_close) -> None:
        self.body = body
        self.on_close = on_close
        self.sent = 0
        self.closed = False

    def __iter__(self):
        for chunk in self.body:
            self.sent += len(chunk)
            yield chunk

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self.on_close(self.sent)


def _redacted(path: str) -> str:
    from bipro.serving import redact_path

    return redact_path(path)
