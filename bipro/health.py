"""GET /health: a JSON answer a load balancer can poll."""

from __future__ import annotations

import json

from bipro.core.gateway import Gateway


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
        body = json.dumps(report).encode()
        status = "200 OK" if database_ok else "503 Service Unavailable"
        start_response(status, [("Content-Type", "application/json"),
                                ("Content-Length", str(len(body))),
                                ("Cache-Control", "no-store")])
        return [body]

    return app
