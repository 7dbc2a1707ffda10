"""``serve``: the whole gateway; waitress in one process, gunicorn with ``--workers N``."""

from __future__ import annotations


def register(commands) -> None:
    serve = commands.add_parser("serve", help="Portal und BiPRO-Services bereitstellen")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--workers", type=int, default=1,
                       help="Prozesse; mehr als 1 startet gunicorn (nur mit PostgreSQL sinnvoll)")
    serve.add_argument("--threads", type=int, default=8, help="Threads je Prozess")
    serve.add_argument("--connection-limit", type=int, default=1000,
                       help="offene Verbindungen je Prozess; wartende belegen keinen Thread")
    serve.add_argument("--idle-timeout", type=int, default=10,
                       help="Sekunden, nach denen eine untätige Verbindung geschlossen wird")
    serve.add_argument("--graceful-timeout", type=int, default=30,
                       help="Sekunden, die laufende Anfragen nach SIGTERM noch bekommen")
    serve.add_argument("--access-log", action="store_true", help="jede Anfrage protokollieren")
    serve.add_argument("--trusted-proxy", default="",
                       help="Adresse des Reverse Proxys, dessen X-Forwarded-* übernommen werden")
    serve.set_defaults(handler=serve_gateway)


def serve_gateway(gateway, args) -> int:
    from bipro.cli import SERVICE_PATHS
    from bipro.config import ConfigError, checked_public_url, listening_url
    from bipro.observability import logs
    from bipro.serving import ServeOptions, serve

    if min(args.workers, args.threads, args.connection_limit, args.idle_timeout) < 1:
        print("--workers, --threads, --connection-limit und --idle-timeout müssen mindestens 1 sein.",
              flush=True)
        return 2
    # Before gunicorn forks: the workers inherit the handler and its format.
    logs.configure(gateway.settings.log_format)
    # With JSON logs every line of output is one JSON object, the banner too.
    say = _logged if logs.json_enabled() else print
    try:
        # Links and WSDL addresses come from here, never from a request's Host header.
        checked_public_url(gateway.settings.public_url)
        gateway.settings = gateway.settings.served_at(listening_url(args.host, args.port))
    except ConfigError as refused:
        print(f"Keine gültige öffentliche Adresse: {refused}", flush=True)
        return 2
    base = gateway.settings.public_url
    if args.host in ("0.0.0.0", "::") and not gateway.settings.public_url_configured:
        say("Hinweis: Links und WSDL-Adressen zeigen auf 127.0.0.1; für Zugriffe von außen "
            "BIPRO_PUBLIC_URL auf die öffentliche Adresse setzen.", flush=True)
    say(f"Lauscht:   {args.host}:{args.port} (öffentlich: {base})", flush=True)
    say(f"Extranet:  {base}/", flush=True)
    for name, path in SERVICE_PATHS:
        say(f"{name:<21} {base}{path}?wsdl", flush=True)
    say(f"Health:    {base}/health", flush=True)
    if gateway.settings.metrics:
        say(f"Metriken:  {base}/metrics", flush=True)
    say("Demo-Logins: demo / demo-passwort, demo2 / demo-passwort", flush=True)
    if args.workers > 1 and gateway.db.is_sqlite:
        say("Hinweis: mehrere Prozesse auf einer SQLite-Datei schreiben nacheinander; "
            "für den Betrieb mit mehreren Prozessen PostgreSQL verwenden.", flush=True)
    server = "gunicorn" if args.workers > 1 else "waitress"
    say(f"Server:    {server}, {args.workers} Prozess(e) mit je {args.threads} Threads", flush=True)
    return serve(gateway, ServeOptions(
        host=args.host, port=args.port, workers=args.workers, threads=args.threads,
        graceful_timeout=args.graceful_timeout, access_log=args.access_log,
        trusted_proxy=args.trusted_proxy, connection_limit=args.connection_limit,
        idle_timeout=args.idle_timeout,
    ))


def _logged(text: str, **_ignored) -> None:
    import logging

    logging.getLogger("bipro.serve").info("%s", text)
