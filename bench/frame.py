"""The gateway's SOAP frame against bare Spyne, called in-process (no HTTP, no client).

Isolates what our layer costs per call: the guard (hardened parse, checks),
the Spyne dispatch, the session, the SCT lookup and the envelope builder.
Rows: the unsecured echo through the frame (no database touched), the
secured echo (plus checkout, SCT query, commit), both against a bare Spyne
service answering the same body from memory. Target: under 1.5x bare Spyne.
"""

from __future__ import annotations

import io
import time

from sqlalchemy import select

from bench import Options, Result, time_result
from bench._echo import ECHO_PATH, bare_spyne_app, gateway_with_echo, request_bytes
from bench._setup import demo_gateway, fresh_database
from bipro.core.identity.tokens import issue_token
from store.models import User

TARGET_RATIO = 1.5


def run(options: Options) -> list[Result]:
    backend = "postgresql" if options.postgres_url else "sqlite"
    count = options.scale(3000, 300)
    with fresh_database(options, backend) as url:
        gateway = demo_gateway(options, url, bcrypt_rounds=4)
        try:
            with gateway.db.session() as session:
                user = session.scalar(select(User).where(User.login == "demo"))
                token = issue_token(session, user, 3600).identifier
            app, bare = gateway_with_echo(gateway), bare_spyne_app()
            cases = [("open", app, ECHO_PATH + "/open", request_bytes(None)),
                     ("secured", app, ECHO_PATH, request_bytes(token)),
                     ("bare", bare, "/", request_bytes(None))]
            times = {name: [] for name, *_ in cases}
            for _name, wsgi_app, path, body in cases:
                for _ in range(50):
                    wsgi_call(wsgi_app, path, body)
            for _ in range(count):  # interleaved, so drift hits every case alike
                for name, wsgi_app, path, body in cases:
                    times[name].append(wsgi_call(wsgi_app, path, body))
        finally:
            gateway.db.dispose()
    results = []
    for name, label in (("open", "gateway frame, unsecured echo (no database)"),
                        ("secured", f"gateway frame, secured echo ({backend})")):
        result = time_result(label, times[name], baseline="bare Spyne, same body from memory",
                             baseline_seconds=times["bare"])
        verdict = "within" if result.ratio < TARGET_RATIO else "OVER"
        result.note = f"in-process WSGI call; {verdict} the target of {TARGET_RATIO}×"
        results.append(result)
    return results


def wsgi_call(app, path: str, body: bytes) -> float:
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": path, "QUERY_STRING": "",
        "CONTENT_TYPE": "text/xml; charset=utf-8", "CONTENT_LENGTH": str(len(body)),
        "HTTP_SOAPACTION": '""', "REMOTE_ADDR": "127.0.0.1", "SERVER_NAME": "bench",
        "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http", "wsgi.errors": io.StringIO(),
    }
    status = []
    started = time.perf_counter()
    data = b"".join(app(environ, lambda s, _headers, _exc=None: status.append(s)))
    elapsed = time.perf_counter() - started
    if not status[0].startswith("200") or b"Fault" in data:
        raise RuntimeError(f"{path}: {status[0]} {data[:300]!r}")
    return elapsed
