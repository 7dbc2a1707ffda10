"""Requests per second for Transfer's listShipments over HTTP, on PostgreSQL.

1, 4 and 16 concurrent clients against 1 worker process (waitress) and 4
worker processes (gunicorn, gthread), zero errors required. The call is
``listShipments`` for broker ``demo2`` with its 10 shipments (SCT check,
the shipments query, the envelope builder); the baseline is a bare Spyne
service answering the same 10 Lieferungen from memory on the same server
(``bench/_baseline_spyne.py``). Target: the gateway costs under 1.5x the bare
service.
"""

from __future__ import annotations

import http.client
import threading
import time

from bench import Options, Result, p95, rate_result
from bench._baseline_spyne import TRAN
from bench._serve import LIST_SIZE, BenchServer
from bench._setup import demo_gateway, fresh_database
from bench.sts import HEADERS, login
from bench.transfer import PATH as TRANSFER_PATH
from bench.transfer import WSC, WSSE, envelope

WORKERS = (1, 4)
CLIENTS = (1, 4, 16)
TARGET_RATIO = 1.5


def run(options: Options) -> list[Result]:
    if not options.postgres_url:
        return [Result("SOAP requests per second", None, None, "req/s",
                       note="skipped: needs PostgreSQL (--postgres or BIPRO_BENCH_POSTGRES_URL)")]
    rounds = options.scale(3, 1)
    requests_per_round = options.scale(1000, 200)
    results = []
    with fresh_database(options, "postgresql") as url:
        demo_gateway(options, url, bcrypt_rounds=4).db.dispose()
        for workers in WORKERS:
            # Both servers run side by side and the rounds alternate, so load
            # from elsewhere on the machine hits the gateway and the baseline alike.
            with BenchServer("gateway", workers, url) as gateway_server, \
                    BenchServer("bare-transfer", workers, url) as bare_server:
                body = list_request(login_token(gateway_server.base))
                bare_body = envelope(f'<t:listShipments xmlns:t="{TRAN}"/>')
                check_answers(gateway_server.port, body, bare_server.port, bare_body)
                for clients in CLIENTS:
                    gateway_runs, bare_runs = [], []
                    for _ in range(rounds):
                        gateway_runs.append(load(gateway_server.port, TRANSFER_PATH, body, clients,
                                                 requests_per_round))
                        bare_runs.append(load(bare_server.port, "/", bare_body, clients,
                                              requests_per_round))
                    results.append(row(workers, clients, median_run(gateway_runs), median_run(bare_runs)))
    return results


def median_run(runs: list["LoadRun"]) -> "LoadRun":
    """The round with the median rate; errors of all rounds count."""
    chosen = sorted(runs, key=lambda run: run.rate)[len(runs) // 2]
    chosen.errors = sum(run.errors for run in runs)
    chosen.first_error = next((run.first_error for run in runs if run.first_error), "")
    return chosen


def row(workers: int, clients: int, gateway: "LoadRun", bare: "LoadRun") -> Result:
    server = "waitress" if workers == 1 else "gunicorn"
    result = rate_result(f"listShipments (10), {workers} worker(s) ({server}), {clients} client(s)",
                         gateway.rate, "req/s", baseline="bare Spyne, same server",
                         baseline_rate=bare.rate)
    result.p95 = None
    verdict = "within" if result.ratio is not None and result.ratio < TARGET_RATIO else "OVER"
    result.note = (f"{verdict} the target of {TARGET_RATIO}×; "
                   f"p95 latency {gateway.p95_ms:.1f} ms (bare {bare.p95_ms:.1f} ms); "
                   f"errors {gateway.errors}/{bare.errors}; PostgreSQL")
    result.failed = bool(gateway.errors or bare.errors)
    if result.failed:
        result.note += f"; first error: {gateway.first_error or bare.first_error}"
    return result


def login_token(base: str) -> str:
    import requests

    return login(requests.Session(), base, "demo2")


def list_request(token: str) -> bytes:
    """listShipments with the acknowledged ones too: all of demo2's 10 shipments."""
    header = (f'<wsse:Security xmlns:wsse="{WSSE}"><wsc:SecurityContextToken xmlns:wsc="{WSC}">'
              f"<wsc:Identifier>{token}</wsc:Identifier></wsc:SecurityContextToken></wsse:Security>")
    return envelope(f'<t:listShipments xmlns:t="{TRAN}"><t:Request>'
                    "<t:BestaetigeLieferungen>true</t:BestaetigeLieferungen></t:Request></t:listShipments>",
                    header)


def check_answers(port: int, body: bytes, bare_port: int, bare_body: bytes) -> None:
    """Both servers answer the same number of Lieferungen, so they do the same work."""
    for at, path, data in ((port, TRANSFER_PATH, body), (bare_port, "/", bare_body)):
        connection = http.client.HTTPConnection("127.0.0.1", at, timeout=60)
        connection.request("POST", path, body=data, headers=HEADERS)
        answer = connection.getresponse().read()
        connection.close()
        found = answer.count(b"Einstellzeitpunkt>") // 2
        if found != LIST_SIZE:
            raise RuntimeError(f"expected {LIST_SIZE} Lieferungen on port {at}, got {found}: {answer[:300]!r}")


class LoadRun:
    def __init__(self, count: int, seconds: float, latencies: list[float], errors: int,
                 first_error: str = "") -> None:
        self.rate = count / seconds if seconds else 0.0
        self.p95_ms = p95(latencies) * 1000 if latencies else 0.0
        self.errors = errors
        self.first_error = first_error


def load(port: int, path: str, body: bytes, clients: int, total: int) -> LoadRun:
    """*clients* threads, each on its own keep-alive connection, *total* requests in all."""
    per_client = max(1, total // clients)
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    first_error: list[str] = []
    start = threading.Barrier(clients + 1)

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for _ in range(3):  # warm up this connection and the worker behind it
            _post(connection, path, body)
        start.wait()
        for _ in range(per_client):
            started = time.perf_counter()
            try:
                ok = _post(connection, path, body)
                if ok is not True:
                    first_error.append(ok)
                    ok = False
            except (OSError, http.client.HTTPException) as exc:
                first_error.append(repr(exc))
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            latencies[index].append(time.perf_counter() - started)
            errors[index] += not ok
        connection.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join(timeout=600)
    elapsed = time.perf_counter() - began
    flat = [value for values in latencies for value in values]
    return LoadRun(len(flat), elapsed, flat, sum(errors), first_error[0] if first_error else "")


def _post(connection: http.client.HTTPConnection, path: str, body: bytes) -> bool | str:
    """True for a good answer, else a description of the bad one."""
    connection.request("POST", path, body=body, headers=HEADERS)
    response = connection.getresponse()
    data = response.read()
    if response.status == 200 and b"Fault" not in data:
        return True
    return f"HTTP {response.status}: {data[:200]!r}"
