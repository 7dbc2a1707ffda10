"""``serve``: the whole gateway from one process with waitress."""

from __future__ import annotations


def register(commands) -> None:
    serve = commands.add_parser("serve", help="Portal und BiPRO-Services bereitstellen")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--threads", type=int, default=8)
    serve.set_defaults(handler=serve_gateway)


def serve_gateway(gateway, args) -> int:
    import waitress

    from bipro.cli import SERVICE_PATHS
    from bipro.wsgi import GatewayApplication

    application = GatewayApplication(gateway)
    base = f"http://{args.host}:{args.port}"
    print(f"Extranet:  {base}/", flush=True)
    for name, path in SERVICE_PATHS:
        print(f"{name:<21} {base}{path}?wsdl", flush=True)
    print(f"Health:    {base}/health", flush=True)
    print("Demo-Logins: demo / demo-passwort, demo2 / demo-passwort", flush=True)
    waitress.serve(application, host=args.host, port=args.port, threads=args.threads,
                   max_request_body_size=gateway.settings.max_request_bytes,
                   ident="bipro-gateway", clear_untrusted_proxy_headers=True)
    return 0
