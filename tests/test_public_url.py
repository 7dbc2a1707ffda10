"""WSDL addresses and portal links come from BIPRO_PUBLIC_URL or the server's own address, never a Host header."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import pytest
import requests

from bipro.config import ConfigError, Settings, checked_public_url, listening_url
from tests.support.bipro_client import STS_PATH
from tests.support.processes import GatewayProcess, gateway_env, prepared_database, run_cli

EVIL_HOST = 'evil.example"/><injected attr="1'


def wsdl_with_host(base_url: str, host: str) -> str:
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.putrequest("GET", f"{STS_PATH}?wsdl", skip_host=True)
    connection.putheader("Host", host)
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 200
    return response.read().decode("utf-8")


def test_a_hostile_host_header_never_reaches_the_wsdl(base_url):
    wsdl = wsdl_with_host(base_url, EVIL_HOST)
    assert "evil.example" not in wsdl and "injected" not in wsdl
    assert f'location="{base_url}{STS_PATH}"' in wsdl


@pytest.fixture(scope="module")
def sqlite_env(tmp_path_factory):
    env = gateway_env(tmp_path_factory.mktemp("instance"))
    env.pop("BIPRO_PUBLIC_URL", None)
    prepared_database(env)
    return env


def test_serve_without_public_url_links_to_its_own_port(sqlite_env):
    with GatewayProcess(sqlite_env) as gateway:
        wsdl = wsdl_with_host(gateway.base_url, "other.example:1")
        assert f'location="http://127.0.0.1:{gateway.port}{STS_PATH}"' in wsdl
        assert "other.example" not in wsdl
        assert gateway.stop() == 0, gateway.output


def test_serve_with_public_url_links_there_whatever_the_host(sqlite_env):
    env = dict(sqlite_env, BIPRO_PUBLIC_URL="https://bipro.docura.example/")
    with GatewayProcess(env) as gateway:
        wsdl = wsdl_with_host(gateway.base_url, EVIL_HOST)
        assert f'location="https://bipro.docura.example{STS_PATH}"' in wsdl
        assert "evil.example" not in wsdl
        plain = requests.get(f"{gateway.base_url}{STS_PATH}?wsdl", timeout=10).text
        assert f'location="https://bipro.docura.example{STS_PATH}"' in plain
        assert gateway.stop() == 0, gateway.output


@pytest.mark.parametrize("bad", ['http://evil.example"/><x a="', "javascript:alert(1)", "ftp://x.example",
                                 "http://a b.example", "https://x.example/<script>"])
def test_a_malformed_public_url_is_refused(bad):
    with pytest.raises(ConfigError, match="BIPRO_PUBLIC_URL"):
        checked_public_url(bad)


def test_serve_refuses_to_start_with_a_malformed_public_url(sqlite_env):
    done = run_cli("serve", "--port", "1", env=dict(sqlite_env, BIPRO_PUBLIC_URL='http://x.example"/><a b="'),
                   timeout=60)
    assert done.returncode == 2 and "BIPRO_PUBLIC_URL" in done.stdout, done.stdout + done.stderr


def test_the_listening_address_becomes_the_public_url_unless_one_is_set():
    assert listening_url("0.0.0.0", 9000) == "http://127.0.0.1:9000"
    assert listening_url("::1", 9000) == "http://[::1]:9000"
    derived = Settings.from_env({}).served_at("http://127.0.0.1:9000")
    assert derived.public_url == "http://127.0.0.1:9000"
    named = Settings.from_env({"BIPRO_PUBLIC_URL": "https://bipro.docura.example"})
    assert named.served_at("http://127.0.0.1:9000").public_url == "https://bipro.docura.example"


def test_links_in_mails_follow_the_listening_address():
    """The identity policy of settings served elsewhere is a new one, not the first one cached."""
    settings = Settings.from_env({})
    assert settings.identity_policy.public_url == "http://127.0.0.1:8080"
    assert settings.served_at("http://127.0.0.1:9000").identity_policy.public_url == "http://127.0.0.1:9000"
