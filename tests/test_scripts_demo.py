"""scripts/demo points the portal links at the address it serves on."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def fake_venv(tmp_path):
    """A virtual environment folder whose ``bipro-gateway`` only records its calls."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(sys.executable)
    recorder = venv / "bin" / "bipro-gateway"
    recorder.write_text('#!/bin/sh\necho "$* | $BIPRO_PUBLIC_URL" >> "$CALLS"\n')
    recorder.chmod(0o755)
    stamp = venv / ".installed"
    stamp.touch()
    later = time.time() + 3600  # newer than setup.cfg: _venv.sh installs nothing
    os.utime(stamp, (later, later))
    return venv


def run_demo(venv: Path, calls: Path, **env_vars: str) -> list[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("HOST", "PORT", "BIPRO_PUBLIC_URL")}
    env.update(PYTHON=sys.executable, VENV=str(venv), CALLS=str(calls), **env_vars)
    done = subprocess.run(["bash", str(ROOT / "scripts" / "demo")], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return calls.read_text().splitlines()


def test_public_url_follows_host_and_port(fake_venv, tmp_path):
    calls = run_demo(fake_venv, tmp_path / "calls", HOST="127.0.0.2", PORT="18480")
    assert calls == [
        "init-db | http://127.0.0.2:18480",
        "demo --if-empty | http://127.0.0.2:18480",
        "serve --host 127.0.0.2 --port 18480 | http://127.0.0.2:18480",
    ]


def test_defaults_and_wildcard_host(fake_venv, tmp_path):
    assert run_demo(fake_venv, tmp_path / "plain")[-1] == "serve --host 127.0.0.1 --port 8080 | http://127.0.0.1:8080"
    wildcard = run_demo(fake_venv, tmp_path / "wildcard", HOST="0.0.0.0", PORT="9000")
    assert wildcard[-1] == "serve --host 0.0.0.0 --port 9000 | http://127.0.0.1:9000"


def test_a_set_public_url_wins(fake_venv, tmp_path):
    calls = run_demo(fake_venv, tmp_path / "calls", PORT="18480", BIPRO_PUBLIC_URL="https://extranet.docura.example")
    assert calls[-1] == "serve --host 127.0.0.1 --port 18480 | https://extranet.docura.example"
