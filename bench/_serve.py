"""A benchmark server process: ``python -m bench._serve gateway|bare|bare-transfer --workers N --port P``.

``gateway`` is the whole gateway plus the echo service (database from
BIPRO_DATABASE_URL); ``bare`` is the plain Spyne echo, ``bare-transfer`` a
plain Spyne listShipments answering 10 Lieferungen from memory. Both are served the
way ``bipro-gateway serve`` serves: waitress for one worker, gunicorn
(gthread) for more, so the baseline runs on the same server as the gateway.
"""

from __future__ import annotations

import argparse
import sys

from bipro.config import Settings
from bipro.serving import ServeOptions, serve_with_gunicorn, serve_with_waitress

LIST_SIZE = 10  # Lieferungen in the bare listShipments answer (the throughput scenario's)


def gateway_app(settings: Settings):
    from bench._echo import gateway_with_echo
    from bipro.gateway import Gateway

    return gateway_with_echo(Gateway.from_settings(settings))


def bare_app(_settings: Settings):
    from bench._echo import bare_spyne_app

    return _with_health(bare_spyne_app())


def bare_transfer_app(_settings: Settings):
    from bench._baseline_spyne import build_baseline

    return _with_health(build_baseline(LIST_SIZE, {}))


def _with_health(spyne):
    def app(environ, start_response):
        if environ.get("PATH_INFO") == "/health":  # so the bench can wait for it
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
            return [b"ok"]
        return spyne(environ, start_response)

    return app


APPS = {"gateway": gateway_app, "bare": bare_app, "bare-transfer": bare_transfer_app}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench._serve")
    parser.add_argument("app", choices=tuple(APPS))
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    factory = APPS[args.app]
    options = ServeOptions(port=args.port, workers=args.workers, threads=args.threads, graceful_timeout=5)
    if args.workers > 1:
        return serve_with_gunicorn(settings, options, factory)
    return serve_with_waitress(factory(settings), settings, options)


if __name__ == "__main__":
    sys.exit(main())
