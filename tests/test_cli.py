"""The bipro-gateway command line, run as a real process."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def run_cli(*args, env, timeout=120):
    return subprocess.run([sys.executable, "-m", "bipro", *args], env=env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture
def cli_env(tmp_path):
    env = dict(os.environ)
    env.update(BIPRO_INSTANCE_PATH=str(tmp_path), BIPRO_BCRYPT_ROUNDS="4")
    env.pop("BIPRO_DATABASE_URL", None)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_init_db_demo_and_serve(cli_env, tmp_path):
    assert run_cli("init-db", env=cli_env).returncode == 0
    assert (tmp_path / "bipro.db").exists()
    demo = run_cli("demo", env=cli_env)
    assert demo.returncode == 0, demo.stderr
    assert "demo mit 140 Kunden" in demo.stdout
    again = run_cli("demo", env=cli_env)
    assert again.returncode == 1 and "leere Datenbank" in again.stderr
    skipped = run_cli("demo", "--if-empty", env=cli_env)
    assert skipped.returncode == 0 and "keine Demo geladen" in skipped.stdout

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "bipro", "serve", "--port", str(port)],
                              env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as resp:
                    body = json.load(resp)
                    break
            except OSError:
                time.sleep(0.1)
        assert body == {"status": "ok", "database": "ok", "backend": "sqlite"}
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    assert "demo / demo-passwort" in output
    assert "/bipro/410_STS/UserPasswordLogin_2.6.1.1.0?wsdl" in output


def test_missing_secret_in_production_is_a_startup_error(cli_env):
    cli_env.update(BIPRO_ENV="production")
    cli_env.pop("BIPRO_SECRET_KEY", None)
    result = run_cli("init-db", env=cli_env)
    assert result.returncode == 2
    assert "BIPRO_SECRET_KEY" in result.stderr


def test_bad_number_setting_is_reported(cli_env):
    cli_env.update(BIPRO_TOKEN_TTL="zehn")
    result = run_cli("init-db", env=cli_env)
    assert result.returncode == 2 and "BIPRO_TOKEN_TTL" in result.stderr


def test_user_commands(cli_env):
    assert run_cli("demo", env=cli_env).returncode == 0
    created = run_cli("user", "create", "--broker", "100100", "--name", "Neue Kollegin", env=cli_env)
    assert created.returncode == 0, created.stderr
    login = created.stdout.split("Login-Name: ")[1].split()[0]
    assert login == "100100-01"
    first_password = created.stdout.split("Erstpasswort: ")[1].split()[0]

    reset = run_cli("user", "reset-password", login, env=cli_env)
    assert reset.returncode == 0
    new_password = reset.stdout.split(f"Neues Passwort für {login}: ")[1].split()[0]
    assert new_password != first_password

    assert run_cli("user", "unlock", login, env=cli_env).returncode == 0
    unknown = run_cli("user", "unlock", "niemand", env=cli_env)
    assert unknown.returncode == 1 and "unbekannt" in unknown.stderr
    duplicate = run_cli("user", "create", "--broker", "100100", "--name", "X", "--login", login, env=cli_env)
    assert duplicate.returncode == 1 and "bereits vergeben" in duplicate.stderr
    wrong_broker = run_cli("user", "create", "--broker", "999", "--name", "X", env=cli_env)
    assert wrong_broker.returncode == 1

    # The new password works at the core's authentication.
    from bipro.config import Settings
    from bipro.core.identity.auth import authenticate
    from bipro.gateway import Gateway
    gateway = Gateway.from_settings(Settings.from_env(cli_env))
    try:
        with gateway.db.session() as session:
            assert authenticate(session, gateway.identity_policy, login, new_password, channel="cli").login == login
    finally:
        gateway.db.dispose()
