"""Prometheus metrics: the one module that defines and records them.

Off unless ``BIPRO_METRICS=1``: ``install()`` is called by the WSGI
application only then, and until it is every ``record_*`` function does
nothing (prometheus_client is not even imported). Under gunicorn every
worker writes its values to files in ``PROMETHEUS_MULTIPROC_DIR``, which
``serve --workers N`` makes (``multiprocess_dir``); ``/metrics`` then
answers with the sum over the workers, whichever worker is asked.

Labels come only from fixed sets (doors, our services and operations,
Meldung codes, list plans), never from what a client sent.
"""

from __future__ import annotations

import hmac
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from bipro.core import events
from bipro.core.identity import audit
from bipro.observability.context import PORTAL, SOAP, RequestContext

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CHANNEL_DOORS = {"bipro": SOAP, "portal": PORTAL}
LOGIN_OUTCOMES = {audit.LOGIN: "ok", audit.LOGIN_FAILED: "failed", audit.LOGIN_WHILE_LOCKED: "locked"}
# Portal pages and SOAP calls: milliseconds to a minute (large downloads).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
LIST_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)

_lock = threading.Lock()
_metrics: "_Metrics | None" = None


class _Metrics:
    """The gateway's metrics, created once per process."""

    def __init__(self) -> None:
        from prometheus_client import Counter, Gauge, Histogram

        self.requests = Counter("bipro_requests", "HTTP requests answered, by door, service, operation and status",
                                ["door", "service", "operation", "status"])
        self.latency = Histogram("bipro_request_duration_seconds",
                                 "Time from the request to the last byte of the answer",
                                 ["door", "service", "operation"], buckets=LATENCY_BUCKETS)
        self.faults = Counter("bipro_faults", "BiPRO faults answered, by service and first Meldung",
                              ["service", "meldung"])
        self.logins = Counter("bipro_logins", "Login attempts by door and outcome (ok, failed, locked)",
                              ["door", "outcome"])
        self.lockouts = Counter("bipro_lockouts", "Accounts locked after too many failed logins", ["door"])
        self.tokens_issued = Counter("bipro_tokens_issued", "SecurityContextTokens issued by the STS")
        self.tokens_revoked = Counter("bipro_tokens_revoked",
                                      "Live SecurityContextTokens ended early (password change or reset)")
        self.documents = Counter("bipro_documents_delivered", "Documents handed out, by door", ["door"])
        self.document_bytes = Counter("bipro_document_bytes_delivered",
                                      "Bytes of the documents handed out, by door", ["door"])
        self.list_queries = Histogram("bipro_portal_list_query_seconds",
                                      "Portal list pages: time of the query, by list and plan",
                                      ["list", "plan"], buckets=LIST_BUCKETS)
        self.pool = Gauge("bipro_db_pool_connections",
                          "Database pool connections (PostgreSQL), summed over the live processes",
                          ["state"], multiprocess_mode="livesum")

    def on_event(self, event: str, channel: str, count: int) -> None:
        door = CHANNEL_DOORS.get(channel)
        if event in LOGIN_OUTCOMES and door:
            self.logins.labels(door, LOGIN_OUTCOMES[event]).inc()
        elif event == audit.LOCKED_OUT and door:
            self.lockouts.labels(door).inc()
        elif event == audit.TOKEN_ISSUED:
            self.tokens_issued.inc()
        elif event == events.TOKENS_ENDED and count:
            self.tokens_revoked.inc(count)


def install() -> None:
    """Create the metrics of this process (once) and start counting core events."""
    global _metrics
    with _lock:
        if _metrics is None:
            from prometheus_client import disable_created_metrics

            disable_created_metrics()  # the *_created series only add noise to every scrape
            _metrics = _Metrics()
            events.subscribe(_metrics.on_event)


def installed() -> bool:
    return _metrics is not None


def record_request(context: RequestContext, status: str, seconds: float) -> None:
    """One answered request of the SOAP or the portal door."""
    m = _metrics
    if m is None or not context.door:
        return
    service, operation = context.service or "-", context.operation or "-"
    m.requests.labels(context.door, service, operation, status).inc()
    m.latency.labels(context.door, service, operation).observe(seconds)
    if context.fault:
        m.faults.labels(service, context.meldung or "-").inc()


def record_document(door: str, size: int) -> None:
    m = _metrics
    if m is not None:
        m.documents.labels(door).inc()
        m.document_bytes.labels(door).inc(max(size, 0))


def record_list_query(list_name: str, plan: str, seconds: float) -> None:
    m = _metrics
    if m is not None:
        m.list_queries.labels(list_name, plan or "-").observe(seconds)


def record_pool(status: dict | None) -> None:
    """This process's pool (``Database.pool_status()``; None on SQLite, which has none to show)."""
    m = _metrics
    if m is not None and status:
        for state, value in status.items():
            m.pool.labels(state).set(value)


def exposition() -> tuple[bytes, str]:
    """The Prometheus text of every metric, summed over the workers under gunicorn."""
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

    registry = REGISTRY
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    return generate_latest(registry), CONTENT_TYPE_LATEST


def metrics_app(gateway):
    """WSGI app for ``GET /metrics``; asks for ``BIPRO_METRICS_TOKEN`` as a bearer token when set."""
    token = gateway.settings.metrics_token

    def app(environ, start_response):
        if token and not _bearer_matches(environ.get("HTTP_AUTHORIZATION", ""), token):
            body = b"Bearer-Token erforderlich.\n"
            start_response("401 Unauthorized", [("Content-Type", "text/plain; charset=utf-8"),
                                                ("Content-Length", str(len(body))),
                                                ("WWW-Authenticate", 'Bearer realm="metrics"')])
            return [body]
        record_pool(gateway.db.pool_status())
        body, content_type = exposition()
        start_response("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body))),
                                  ("Cache-Control", "no-store")])
        return [body]

    return app


def _bearer_matches(header: str, token: str) -> bool:
    scheme, _, value = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), token.encode())


# --- gunicorn: one folder of value files for all workers ----------------------------

@contextmanager
def multiprocess_dir() -> Iterator[None]:
    """Give the workers to be forked a fresh folder for their values; remove it afterwards.

    Must run before prometheus_client is imported in this process. A folder
    the operator set in ``PROMETHEUS_MULTIPROC_DIR`` is used and kept.
    """
    if os.environ.get(MULTIPROC_ENV):
        yield
        return
    folder = tempfile.mkdtemp(prefix="bipro-metrics-")
    owner = os.getpid()
    os.environ[MULTIPROC_ENV] = folder
    logging.getLogger("bipro.metrics").info("Metrik-Werte der Worker in %s", folder)
    try:
        yield
    finally:
        # gunicorn forks its workers inside this block, and a worker that
        # ends leaves through it too: only the process that made the folder
        # may remove it, or one worker's exit takes every worker's values.
        if os.getpid() == owner:
            os.environ.pop(MULTIPROC_ENV, None)
            shutil.rmtree(folder, ignore_errors=True)


def worker_exited(_server, worker) -> None:
    """gunicorn's ``child_exit`` hook: drop a dead worker's live gauges (its pool)."""
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
