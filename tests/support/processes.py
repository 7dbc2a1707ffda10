"""Gateway processes for tests: run the CLI, serve, wait for /health, stop with SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from tests.support.gateways import TEST_BCRYPT_ROUNDS

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gateway_env(instance: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    """The environment of a gateway process: cheap bcrypt, its own instance folder."""
    env = dict(os.environ)
    env.pop("BIPRO_DATABASE_URL", None)
    env.update(BIPRO_INSTANCE_PATH=str(instance), BIPRO_BCRYPT_ROUNDS=str(TEST_BCRYPT_ROUNDS),
               PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""))
    if database_url:
        env["BIPRO_DATABASE_URL"] = database_url
    env.update(extra)
    return env


def run_cli(*args: str, env: dict[str, str], timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bipro", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def prepared_database(env: dict[str, str]) -> None:
    """init-db and the demo portfolio, once, before any server starts."""
    for command in (("init-db",), ("demo",)):
        done = run_cli(*command, env=env)
        assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"


class GatewayProcess:
    """``python -m bipro serve`` as a child process whose output is collected."""

    def __init__(self, env: dict[str, str], *serve_args: str, port: int | None = None) -> None:
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._lines: list[str] = []
        self._changed = threading.Condition()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bipro", "serve", "--port", str(self.port), *serve_args],
            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        self._reader = threading.Thread(target=self._collect, daemon=True)
        self._reader.start()

    def _collect(self) -> None:
        for line in self.process.stdout:
            with self._changed:
                self._lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    @property
    def output(self) -> str:
        with self._changed:
            return "".join(self._lines)

    def wait_for_output(self, text: str, timeout: float = 30) -> None:
        """Block until *text* appears in the output (AssertionError after *timeout*)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while text not in "".join(self._lines):
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (self.process.poll() is not None and not self._reader.is_alive()):
                    raise AssertionError(f"{text!r} not in output:\n{''.join(self._lines)}")
                self._changed.wait(min(remaining, 0.5))

    def health(self) -> dict:
        with urllib.request.urlopen(f"{self.base_url}/health", timeout=5) as resp:
            return json.load(resp)

    def wait_healthy(self, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited with {self.process.returncode}:\n{self.output}")
            try:
                return self.health()
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError(f"no /health after {timeout} s:\n{self.output}") from None
                time.sleep(0.1)

    def terminate(self) -> None:
        """Send SIGTERM (a graceful stop) without waiting."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def stop(self, timeout: float = 40) -> int:
        """SIGTERM, wait for the exit, return the exit code (killed after *timeout*)."""
        self.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self._reader.join(timeout=5)
        self.process.stdout.close()
        return self.process.returncode

    def __enter__(self) -> "GatewayProcess":
        self.wait_healthy()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
