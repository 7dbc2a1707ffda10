"""Serving the gateway: waitress in one process, gunicorn with several workers.

Both stop gracefully on SIGTERM (and SIGINT): no new connections are taken,
requests already in flight (even those still sending their body) are
answered, then the process exits.

Several workers share nothing but the database: tokens, lockout counters,
search contexts, reset tokens and portal sessions are rows, so any worker
(or any other gateway process behind the same address) can answer any call.
"""

from __future__ import annotations

import logging
import re
import signal
import sys
import threading
import time
from dataclasses import dataclass

from bipro.config import Settings
from bipro.gateway import Gateway
from bipro.observability.boundary import mark_trusted_peer

# A reset link in a URL is a password in all but name: access logs show it cut off.
RESET_LINK = re.compile(r"(/passwort-zuruecksetzen/)[^/?#\s\"]+")

# Headers a trusted reverse proxy sets; honoured only from its address.
PROXY_HEADERS = {"x-forwarded-proto", "x-forwarded-for", "x-forwarded-host", "x-forwarded-port"}


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 1
    threads: int = 8
    graceful_timeout: int = 30  # seconds in-flight requests get after SIGTERM
    access_log: bool = False
    trusted_proxy: str = ""  # address of the reverse proxy whose X-Forwarded-* we believe
    # Open connections are cheap (an idle one holds no thread), so the limit is
    # far above the thread count; idle ones are closed after idle_timeout seconds.
    connection_limit: int = 1000
    idle_timeout: int = 10


def serve(gateway: Gateway, options: ServeOptions) -> int:
    """Serve the gateway until SIGTERM; gunicorn when more than one worker is asked for."""
    if options.workers > 1:
        # The workers build their own gateways after fork; this one has not
        # connected yet, and must not hand a pool across fork.
        gateway.db.dispose()
        if gateway.settings.metrics:
            from bipro.observability.metrics import multiprocess_dir

            with multiprocess_dir():  # the workers' values, summed by /metrics
                return serve_with_gunicorn(gateway.settings, options)
        return serve_with_gunicorn(gateway.settings, options)
    from bipro.wsgi import GatewayApplication

    return serve_with_waitress(GatewayApplication(gateway), gateway.settings, options)


# --- several processes: gunicorn ------------------------------------------------

def gunicorn_config(settings: Settings, options: ServeOptions) -> dict:
    """gunicorn settings for the gateway (gthread workers, app loaded after fork)."""
    return {
        "bind": f"{options.host}:{options.port}",
        "workers": options.workers,
        "worker_class": "gthread",
        "threads": options.threads,
        "graceful_timeout": options.graceful_timeout,
        # A worker is only killed as hung when its main loop stops; a long
        # download runs in a thread and keeps the heartbeat going.
        "timeout": 60,
        "preload_app": False,  # each worker builds its own engine and pool
        # In JSON mode the gateway's own line per request is the access log.
        "accesslog": "-" if options.access_log and settings.log_format != "json" else None,
        "errorlog": "-",
        "loglevel": "info",
        "forwarded_allow_ips": options.trusted_proxy or "",
        "proc_name": "bipro-gateway",
        # gthread parks idle connections in its poller (no thread) and closes
        # them after the keep-alive time, new ones as well as used ones.
        "worker_connections": options.connection_limit,
        "keepalive": options.idle_timeout,
        # gunicorn 23+ opens a control socket in the home folder; one fixed
        # path would clash between several gateways on one machine.
        "control_socket_disable": True,
        "logger_class": "bipro.serving.RedactingGunicornLogger",
        "child_exit": _worker_exited,
    }


def _worker_exited(server, worker) -> None:
    from bipro.observability.metrics import worker_exited

    worker_exited(server, worker)


def serve_with_gunicorn(settings: Settings, options: ServeOptions, app_factory=None) -> int:
    """Run gunicorn; each worker calls ``app_factory(settings)`` (default: the gateway)."""
    from gunicorn.app.base import BaseApplication

    if app_factory is None:
        from bipro.wsgi import create_application as app_factory

    class GatewayServer(BaseApplication):
        """gunicorn application whose workers each create the WSGI app after fork."""

        def load_config(self):
            for key, value in gunicorn_config(settings, options).items():
                if key in self.cfg.settings:  # older gunicorn lacks some settings
                    self.cfg.set(key, value)

        def load(self):
            # Runs in the worker, after fork: the engine and its connection
            # pool belong to this process only.
            return mark_trusted_peer(app_factory(settings), options.trusted_proxy)

    GatewayServer().run()
    return 0


# --- one process: waitress ---------------------------------------------------------

def body_limit(settings: Settings) -> int:
    """The server's cap on any request body: the larger of the SOAP and the intake limit.

    Each door applies its own limit itself (the SOAP guard, the intake
    adapter); the margin leaves room for the multipart framing of an upload.
    """
    return max(settings.max_request_bytes, settings.intake_max_bytes + INTAKE_FRAMING)


INTAKE_FRAMING = 1024 * 1024


def serve_with_waitress(application, settings: Settings, options: ServeOptions) -> int:
    """Run *application* on waitress in this process until SIGTERM."""
    import waitress.server

    json_lines = settings.log_format == "json"  # the gateway's line per request is the access log
    app = access_logged(application) if options.access_log and not json_lines else application
    allow_open_files(options.connection_limit + 100)
    proxy = {}
    if options.trusted_proxy:
        proxy = dict(trusted_proxy=options.trusted_proxy, trusted_proxy_headers=PROXY_HEADERS)
    quiet_queue_warnings()
    server = waitress.server.create_server(
        app, host=options.host, port=options.port, threads=options.threads,
        max_request_body_size=body_limit(settings), ident="bipro-gateway",
        clear_untrusted_proxy_headers=True,
        **flood_settings(options.connection_limit, options.idle_timeout), **proxy)
    # Outside waitress's proxy handling, which replaces REMOTE_ADDR with the client's.
    server.application = mark_trusted_peer(server.application, options.trusted_proxy)
    run_until_terminated(server, options.graceful_timeout)
    return 0


QUEUE_LOGGER = "waitress.queue"
QUEUE_NOTE_INTERVAL_S = 60.0


class OnceAWhile(logging.Filter):
    """Lets one record through per *interval* seconds and counts the ones held back.

    waitress warns "Task queue depth is N" for every request that finds no
    idle thread: with 16 clients on 8 threads that is most requests, each a
    line formatted and written by the event loop's own thread, which also
    accepts and reads every connection (and stops dead when its stderr is a
    pipe nobody reads). Queueing is how more clients than threads are
    served, so it is worth a line now and then, not one per request.
    """

    def __init__(self, interval: float = QUEUE_NOTE_INTERVAL_S) -> None:
        super().__init__()
        self.interval = interval
        self._next = 0.0
        self._held = 0
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        with self._lock:
            if now < self._next:
                self._held += 1
                return False
            held, self._held, self._next = self._held, 0, now + self.interval
        if held:
            record.msg = f"{record.msg} (and {held} such warnings in the last {self.interval:.0f} s)"
        return True


def quiet_queue_warnings() -> None:
    """waitress's queue warnings at most once a minute (idempotent)."""
    logger = logging.getLogger(QUEUE_LOGGER)
    if not any(isinstance(f, OnceAWhile) for f in logger.filters):
        logger.addFilter(OnceAWhile())


def allow_open_files(wanted: int) -> None:
    """Raise this process's soft limit of open files towards *wanted* (never above the hard one).

    Many systems start processes with 1024, less than the connection limit
    plus the database's and the log's descriptors.
    """
    try:
        import resource
    except ImportError:  # not on every platform
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def flood_settings(connection_limit: int, idle_timeout: int) -> dict:
    """waitress settings that keep it answering while many connections sit idle.

    waitress stops accepting at ``connection_limit`` (100 by default), so a
    hundred idle sockets used to starve everyone else; idle connections never
    hold a worker thread, only a file descriptor. ``poll`` instead of
    ``select`` because select cannot watch descriptors above 1023.
    """
    return dict(connection_limit=connection_limit, channel_timeout=idle_timeout,
                cleanup_interval=max(1, min(idle_timeout // 2, 30)), asyncore_use_poll=True)


def run_until_terminated(server, graceful_timeout: float) -> None:
    """Run a waitress server until SIGTERM/SIGINT, then drain it.

    waitress by itself dies on SIGTERM and drops requests whose body is
    still arriving; here the listening socket is closed first and the
    event loop keeps running until every connection is idle or closed.
    """
    received: list[int] = []

    def on_signal(signum, _frame):
        received.append(signum)
        server.pull_trigger()  # wake the event loop now, not at its next timeout

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    socket_map = server._map
    use_poll = server.adj.asyncore_use_poll

    def loop(timeout, map, count):
        server.asyncore.loop(timeout=timeout, use_poll=use_poll, map=map, count=count)

    try:
        while not received:
            loop(timeout=1.0, map=socket_map, count=1)
        _close_listener(server)
        logging.getLogger("bipro.serve").warning(
            "Signal %s: keine neuen Verbindungen mehr, laufende Anfragen werden beantwortet.",
            signal.Signals(received[0]).name)
        deadline = time.monotonic() + graceful_timeout
        while server.active_channels and time.monotonic() < deadline:
            for channel in list(server.active_channels.values()):
                if _idle(channel):
                    channel.will_close = True  # closed by the next write pass
            loop(timeout=0.05, map=socket_map, count=1)
        server.task_dispatcher.shutdown(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if not received:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        else:
            # Once stopping, a repeated SIGTERM (a supervisor's second ask) must
            # not kill the process in its last milliseconds. A Python handler
            # would not do: the interpreter resets those to the default while it
            # shuts down; an ignored signal it leaves ignored.
            for sig in previous:
                signal.signal(sig, signal.SIG_IGN)
        server.close()


def _close_listener(server) -> None:
    # Only the accepting socket; the trigger stays so worker threads can
    # still wake the loop to send their answers.
    server.accepting = False
    server.del_channel()
    server.socket.close()


def _idle(channel) -> bool:
    """No request being received, none being handled, nothing left to send."""
    return channel.request is None and not channel.requests and not channel.total_outbufs_len


def redact_path(text: str) -> str:
    """*text* (a path, request line or referrer) with any reset link's token replaced."""
    return RESET_LINK.sub(r"\1***", text)


def _gunicorn_logger_base():
    try:
        from gunicorn.glogging import Logger
    except ImportError:  # gunicorn is only needed for several workers
        return object
    return Logger


class RedactingGunicornLogger(_gunicorn_logger_base()):
    """gunicorn's logger whose access lines never carry a reset link's token."""

    def setup(self, cfg):
        super().setup(cfg)
        from bipro.observability import logs

        if logs.json_enabled():
            logs.restyle(self.error_log)
            logs.restyle(self.access_log)

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact_path(value) if isinstance(value, str) else value for key, value in atoms.items()}


def access_logged(app):
    """A one-line-per-request access log to stderr (gunicorn has its own)."""

    def logged(environ, start_response):
        started = time.monotonic()
        seen = {}

        def recording_start_response(status, headers, exc_info=None):
            seen["status"] = status.split(" ", 1)[0]
            return start_response(status, headers, exc_info)

        try:
            return app(environ, recording_start_response)
        finally:
            print(f'{environ.get("REMOTE_ADDR", "-")} "{environ.get("REQUEST_METHOD")} '
                  f'{redact_path(environ.get("PATH_INFO") or "")}" {seen.get("status", "-")} '
                  f"{(time.monotonic() - started) * 1000:.1f}ms", file=sys.stderr, flush=True)

    return logged
