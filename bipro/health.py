"""GET /health and GET /health/ready: JSON answers a load balancer can poll.

/health says whether the database answers; /health/ready also whether its
schema is at the newest migration, so a process on an unmigrated database
gets no traffic.
"""

from __future__ import annotations

import json

from bipro.core.operations.readiness import database_problem
from bipro.gateway import Gateway


def health_app(gateway: Gateway):
    def app(environ, start_response):
        database_ok = gateway.db.ping()
        report = {
            "status": "ok" if database_ok else "degraded",
            "database": "ok" if database_ok else "unreachable",
            "backend": "sqlite" if gateway.db.is_sqlite else "postgresql",
        }
        pool = gateway.db.pool_status()
        if pool is not None:  # per process: each gateway process has its own pool
            report["pool"] = pool
        return _json(start_response, report, ok=database_ok)

    return app


def readiness_app(gateway: Gateway):
    def app(environ, start_response):
        problem = database_problem(gateway.db)
        report = {"status": "ready"} if problem is None else {"status": "not ready", "reason": problem}
        return _json(start_response, report, ok=problem is None)

    return app


def _json(start_response, report: dict, *, ok: bool):
    body = json.dumps(report, ensure_ascii=False).encode()
    status = "200 OK" if ok else "503 Service Unavailable"
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(body))),
                            ("Cache-Control", "no-store")])
    return [body]
