"""``serve`` as a real process: waitress and gunicorn both finish in-flight requests on SIGTERM."""

from __future__ import annotations

import http.client
import logging
import socket
import subprocess
import sys
import textwrap
import time

import pytest

from bipro.config import Settings
from bipro.serving import OnceAWhile, ServeOptions, gunicorn_config
from bipro.soap.namespaces import REQUEST_TYPE_ISSUE, TOKEN_TYPE_SCT, TRAN, WSC, WST
from tests.support.bipro_client import STS_PATH
from tests.support.processes import GatewayProcess, gateway_env, prepared_database
from tests.support.soapraw import envelope

WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
SOAP_HEADERS = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'}

SHUTDOWN_SIGNS = {
    # what each server prints once it has the signal
    "waitress": "Signal SIGTERM",
    "gunicorn": "Handling signal: term",
}


@pytest.fixture(scope="module")
def sqlite_env(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    env = gateway_env(instance)
    prepared_database(env)
    return env


def sts_request_bytes(padding: int) -> bytes:
    """An STS login whose body is made large by a comment, so it can be sent slowly."""
    header = (f'<wsse:Security xmlns:wsse="{WSSE_NS}"><wsse:UsernameToken>'
              "<wsse:Username>demo</wsse:Username><wsse:Password>demo-passwort</wsse:Password>"
              "</wsse:UsernameToken></wsse:Security>")
    body = (f'<wst:RequestSecurityToken xmlns:wst="{WST}"><wst:TokenType>{TOKEN_TYPE_SCT}</wst:TokenType>'
            f"<wst:RequestType>{REQUEST_TYPE_ISSUE}</wst:RequestType>"
            f"<!--{'x' * padding}--></wst:RequestSecurityToken>")
    return envelope(body, header).encode("utf-8")


def start_slow_post(port: int, path: str, payload: bytes, first_part: int) -> socket.socket:
    """Send the headers and the first bytes of the body; the rest waits."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            'Content-Type: text/xml; charset=utf-8\r\nSOAPAction: ""\r\n'
            f"Content-Length: {len(payload)}\r\n\r\n").encode("ascii")
    sock.sendall(head + payload[:first_part])
    return sock


@pytest.mark.parametrize("server, args", [
    ("waitress", ()),
    pytest.param("gunicorn", ("--workers", "2", "--threads", "2"), marks=pytest.mark.heavy),  # a worker pool
])
def test_sigterm_lets_a_request_in_flight_finish(sqlite_env, server, args):
    payload = sts_request_bytes(200_000)
    with GatewayProcess(sqlite_env, *args) as gateway:
        assert f"Server:    {server}" in gateway.output
        sock = start_slow_post(gateway.port, STS_PATH, payload, first_part=len(payload) // 2)
        try:
            # The server has read the headers once part of the body is in;
            # now it is told to stop while the request is half sent.
            time.sleep(0.5)
            gateway.terminate()
            gateway.wait_for_output(SHUTDOWN_SIGNS[server])
            if server == "waitress":
                # the listening socket is closed at once: no new connections
                with pytest.raises(OSError):
                    socket.create_connection(("127.0.0.1", gateway.port), timeout=5).close()
            else:
                time.sleep(0.5)  # the arbiter passes SIGTERM on to its workers
            sock.sendall(payload[len(payload) // 2:])
            response = http.client.HTTPResponse(sock)
            response.begin()
            body = response.read()
        finally:
            sock.close()
        assert response.status == 200, body
        assert b"<wsc:Identifier>bipro:" in body
        assert gateway.stop() == 0, gateway.output


def test_a_repeated_sigterm_while_shutting_down_is_ignored():
    """After a graceful stop the process ignores SIGTERM and SIGINT to its end.

    The interpreter resets Python signal handlers to the default while it
    shuts down, so a supervisor's second SIGTERM in those milliseconds killed
    the process (exit -15) after every request had been answered.
    """
    script = textwrap.dedent("""
        import os, signal, threading, waitress.server
        from bipro.serving import run_until_terminated
        server = waitress.server.create_server(lambda env, start: [], host="127.0.0.1", port=0)
        threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGTERM)).start()
        run_until_terminated(server, graceful_timeout=5)
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        os.kill(os.getpid(), signal.SIGTERM)  # the second ask: ignored
        print("zu Ende")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.strip()) == (0, "zu Ende"), done.stderr


def test_idle_keep_alive_connections_do_not_hold_up_waitress(sqlite_env):
    with GatewayProcess(sqlite_env, "--graceful-timeout", "120") as gateway:
        idle = http.client.HTTPConnection("127.0.0.1", gateway.port, timeout=10)
        idle.request("GET", "/health")
        assert idle.getresponse().read()
        # the connection stays open (HTTP/1.1 keep-alive) and idle
        assert gateway.stop(timeout=30) == 0, gateway.output
        idle.close()


def test_gunicorn_settings_follow_the_options():
    config = gunicorn_config(Settings(), ServeOptions(host="0.0.0.0", port=9000, workers=4, threads=6,
                                                      graceful_timeout=12, trusted_proxy="10.0.0.5"))
    assert config["bind"] == "0.0.0.0:9000"
    assert (config["workers"], config["threads"], config["worker_class"]) == (4, 6, "gthread")
    assert config["graceful_timeout"] == 12
    assert config["accesslog"] is None  # off unless asked for
    assert config["preload_app"] is False  # the app (and its pool) is built after fork
    assert config["forwarded_allow_ips"] == "10.0.0.5"
    assert gunicorn_config(Settings(), ServeOptions())["forwarded_allow_ips"] == ""


@pytest.mark.parametrize("args", [
    pytest.param((), id="waitress"),
    pytest.param(("--workers", "2", "--threads", "2"), id="gunicorn", marks=pytest.mark.heavy),  # a worker pool
])
def test_forwarded_proto_is_believed_only_from_the_trusted_proxy(sqlite_env, args):
    import requests

    forwarded = {"X-Forwarded-Proto": "https"}
    with GatewayProcess(sqlite_env, *args, "--trusted-proxy", "127.0.0.1") as trusting:
        wsdl = requests.get(f"{trusting.base_url}{STS_PATH}?wsdl", headers=forwarded, timeout=10).text
        assert f'location="https://127.0.0.1:{trusting.port}{STS_PATH}"' in wsdl
    with GatewayProcess(sqlite_env, *args) as untrusting:
        wsdl = requests.get(f"{untrusting.base_url}{STS_PATH}?wsdl", headers=forwarded, timeout=10).text
        assert f'location="http://127.0.0.1:{untrusting.port}{STS_PATH}"' in wsdl


def test_idle_connections_from_one_address_do_not_starve_health(sqlite_env):
    with GatewayProcess(sqlite_env) as gateway:
        idle = [socket.create_connection(("127.0.0.1", gateway.port), timeout=5) for _ in range(200)]
        try:
            idle[0].sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # a request never finished
            time.sleep(0.3)  # let the server accept them all
            started = time.monotonic()
            answer = http.client.HTTPConnection("127.0.0.1", gateway.port, timeout=1)
            answer.request("GET", "/health")
            response = answer.getresponse()
            assert response.status == 200 and b"ok" in response.read().lower()
            assert time.monotonic() - started < 1
        finally:
            for sock in idle:
                sock.close()
        assert gateway.stop() == 0, gateway.output


def test_an_idle_connection_is_closed_after_the_idle_timeout(sqlite_env):
    with GatewayProcess(sqlite_env, "--idle-timeout", "1") as gateway:
        idle = socket.create_connection(("127.0.0.1", gateway.port), timeout=8)
        try:
            started = time.monotonic()
            assert idle.recv(1) == b""  # closed by the server, not by our timeout
            assert time.monotonic() - started < 6
        finally:
            idle.close()
        assert gateway.stop() == 0, gateway.output


def test_flood_settings_reach_gunicorn():
    config = gunicorn_config(Settings(), ServeOptions(connection_limit=700, idle_timeout=7))
    assert (config["worker_connections"], config["keepalive"]) == (700, 7)
    assert ServeOptions().connection_limit >= 100 * ServeOptions().threads


def test_queue_warnings_come_once_a_while():
    logger = logging.getLogger("tests.queue")
    logger.propagate = False
    seen: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: seen.append(record.getMessage())
    logger.addHandler(handler)
    logger.addFilter(OnceAWhile(interval=0.3))
    for depth in range(1, 51):
        logger.warning("Task queue depth is %d", depth)
    assert seen == ["Task queue depth is 1"]
    time.sleep(0.35)
    logger.warning("Task queue depth is %d", 7)
    assert seen[1] == "Task queue depth is 7 (and 49 such warnings in the last 0 s)"


def test_sixteen_clients_on_two_threads_all_get_answers(sqlite_env):
    """More clients than threads wait in waitress's queue; none is refused or left hanging."""
    from concurrent.futures import ThreadPoolExecutor

    from bipro.soap.transfer import PATH as TRANSFER_PATH

    with GatewayProcess(sqlite_env, "--threads", "2") as gateway:
        login = http.client.HTTPConnection("127.0.0.1", gateway.port, timeout=30)
        login.request("POST", STS_PATH, body=sts_request_bytes(0), headers=SOAP_HEADERS)
        answer = login.getresponse().read().decode()
        token = answer[answer.index("bipro:"):answer.index("<", answer.index("bipro:"))]
        header = (f'<wsse:Security xmlns:wsse="{WSSE_NS}"><wsc:SecurityContextToken xmlns:wsc="{WSC}">'
                  f"<wsc:Identifier>{token}</wsc:Identifier></wsc:SecurityContextToken></wsse:Security>")
        body = envelope(f'<t:listShipments xmlns:t="{TRAN}"/>', header).encode()

        def client(_index: int) -> list[int]:
            connection = http.client.HTTPConnection("127.0.0.1", gateway.port, timeout=30)
            statuses = []
            for _ in range(15):
                connection.request("POST", TRANSFER_PATH, body=body, headers=SOAP_HEADERS)
                response = connection.getresponse()
                data = response.read()
                statuses.append(response.status if b"Fault" not in data else -1)
            connection.close()
            return statuses

        with ThreadPoolExecutor(16) as pool:
            statuses = [s for run in pool.map(client, range(16)) for s in run]
        assert statuses == [200] * 240
        assert gateway.output.count("Task queue depth") <= 2, gateway.output  # once a minute at most
        assert gateway.stop() == 0, gateway.output
