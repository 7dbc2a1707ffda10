"""The built wheel works outside the checkout: a fresh virtual environment in a
temporary folder runs init-db, demo, check and serve, and answers /health, an
STS login, a portal page, the WSDLs, XSDs and static files.

One interpreter is enough (the interpreter running the tests); .ci/run runs it
once. It needs the package index for the runtime dependencies.
"""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.support.portal import csrf_token
from tests.support.processes import free_port
from tests.support.soapraw import sts_login

pytestmark = pytest.mark.heavy

ROOT = Path(__file__).resolve().parents[1]
NOT_SOURCES = shutil.ignore_patterns(".git", ".venv*", "build", "dist", "*.egg-info", "instance",
                                     "test-output", "__pycache__", ".pytest_cache", ".hypothesis", "bench", "tests")


def checkout_version() -> str:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    return config["metadata"]["version"]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel, built from a copy of the sources, installed into a fresh venv; its bin folder."""
    work = tmp_path_factory.mktemp("wheel")
    sources = work / "src"
    shutil.copytree(ROOT, sources, ignore=NOT_SOURCES)
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(work / "dist"), str(sources))
    wheel, = (work / "dist").glob("bipro_gateway-*.whl")
    run(sys.executable, "-m", "venv", str(work / "venv"))
    bin_dir = work / "venv" / "bin"
    # No .pyc for every file of every dependency: what runs compiles on first import.
    run(str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--no-compile", str(wheel), timeout=600)
    return bin_dir


@pytest.fixture(scope="module")
def outside(installed, tmp_path_factory):
    """Environment and working folder far from the checkout."""
    folder = tmp_path_factory.mktemp("betrieb")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("BIPRO_") and key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(BIPRO_INSTANCE_PATH=str(folder / "instance"), BIPRO_BCRYPT_ROUNDS="4")
    return env, folder


def run(*command: str, timeout: float = 300, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)
    assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"
    return done


def test_the_installed_package_is_not_the_checkout(installed, outside):
    env, folder = outside
    where = run(str(installed / "python"), "-c", "import bipro, store, portal; "
                "print(bipro.__file__, store.__file__, portal.__file__)", env=env, cwd=folder).stdout
    assert str(ROOT) not in where and where.count(str(installed.parent)) == 3
    version = run(str(installed / "bipro-gateway"), "--version", env=env, cwd=folder).stdout
    assert version.strip() == f"bipro-gateway {checkout_version()}"
    # zeep is only for tests: nothing the gateway runs may need it.
    no_zeep = subprocess.run([str(installed / "python"), "-c", "import zeep"], env=env, cwd=folder,
                             capture_output=True, text=True)
    assert no_zeep.returncode != 0 and "No module named 'zeep'" in no_zeep.stderr


def test_the_wheel_carries_every_wsdl_and_schema(installed, outside):
    env, folder = outside
    for name in ("schemas", "wsdl"):
        packaged = Path(run(str(installed / "python"), "-c",
                            f"from bipro.resources import top_level_folder; print(top_level_folder({name!r}))",
                            env=env, cwd=folder).stdout.strip())
        assert packaged.is_relative_to(installed.parent), packaged
        checkout = {path.name: path.read_bytes() for path in (ROOT / name).iterdir() if path.is_file()}
        assert checkout and {path.name: path.read_bytes() for path in packaged.iterdir()} == checkout


def test_init_db_demo_check_and_serve(installed, outside):
    env, folder = outside
    gateway = str(installed / "bipro-gateway")
    assert "Datenbankschema ist aktuell" in run(gateway, "init-db", env=env, cwd=folder).stdout
    assert "Demo geladen" in run(gateway, "demo", env=env, cwd=folder).stdout
    assert run(gateway, "check", env=env, cwd=folder).stdout.endswith("Alles in Ordnung.\n")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([gateway, "serve", "--port", str(port)], env=env, cwd=folder,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for(f"{base}/health", server)
        assert requests.get(f"{base}/health/ready", timeout=10).json() == {"status": "ready"}

        answer = sts_login(base, "demo", "demo-passwort")
        assert answer.status == 200 and b"SecurityContextToken" in answer.body

        wsdl = requests.get(f"{base}/bipro/410_STS/UserPasswordLogin_2.6.1.1.0?wsdl", timeout=10)
        assert wsdl.status_code == 200 and "definitions" in wsdl.text
        for xsd in sorted((ROOT / "schemas").glob("*.xsd")):
            served = requests.get(f"{base}/bipro/schemas/{xsd.name}", timeout=10)
            assert served.status_code == 200 and served.content == xsd.read_bytes(), xsd.name
        css = requests.get(f"{base}/static/portal.css", timeout=10)
        assert css.status_code == 200 and css.content == (ROOT / "portal/static/portal.css").read_bytes()

        http = requests.Session()
        login_page = http.get(f"{base}/login", timeout=10).text
        http.post(f"{base}/login", timeout=10, data={"csrf_token": csrf_token(login_page),
                                                     "login": "demo", "password": "demo-passwort"})
        customers = http.get(f"{base}/kunden", timeout=30)
        assert customers.status_code == 200 and customers.url == f"{base}/kunden"
        assert "Kundenliste" in customers.text  # the list itself, not the login form
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "Traceback" not in output, output


def wait_for(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        assert server.poll() is None, server.stdout.read()
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        assert time.monotonic() < deadline, f"no answer from {url}"
        time.sleep(0.2)
