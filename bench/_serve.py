"""A benchmark server process: ``python -m bench._serve gateway|bare|bare-transfer --workers N --port P``,
and ``BenchServer``, which runs one for a scenario.

``gateway`` is the whole gateway plus the echo service (database from
BIPRO_DATABASE_URL); ``bare`` is the plain Spyne echo, ``bare-transfer`` a
plain Spyne listShipments answering 10 Lieferungen from memory. Both are served the
way ``bipro-gateway serve`` serves: waitress for one worker, gunicorn
(gthread) for more, so the baseline runs on the same server as the gateway.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bipro.config import Settings
from bipro.serving import ServeOptions, serve_with_gunicorn, serve_with_waitress

ROOT = Path(__file__).resolve().parents[1]
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


class BenchServer:
    """``python -m bench._serve`` as a child process, stopped with SIGTERM."""

    def __init__(self, app: str, workers: int, database_url: str) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, BIPRO_DATABASE_URL=database_url, BIPRO_BCRYPT_ROUNDS="4",
                   BIPRO_SECRET_KEY="bench-secret")
        # The server's stderr goes to a file, never to a pipe read only at the end: a
        # full pipe (64 KiB) blocks whichever server thread writes next, the event
        # loop included, and the clients then time out on a stalled server.
        self.log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench._serve", app, "--port", str(self.port), "--workers", str(workers)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=self.log)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()[-4000:]

    def __enter__(self) -> "BenchServer":
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"bench server exited: {self.output()}")
            try:
                urllib.request.urlopen(self.base + "/health", timeout=2).read()
                return self
            except OSError:
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("bench server did not start")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


if __name__ == "__main__":
    sys.exit(main())
