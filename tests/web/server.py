"""The real ``orglens serve`` in a subprocess, for the browser and crash tests.

``start_server(data, db_url)`` runs ``python -m orglens serve --data DATA --db URL --port PORT``
(``--workers N`` with ``workers=N``: one process per worker and the one that starts them)
(the interpreter running the tests, so the same venv) on a free port of 127.0.0.1, its output
in ``DATA/../server-<port>.log``, and returns once ``/healthz`` answers 200; a server that
exits or stays silent first fails the test with its log. ``Server.stop()`` ends it as Ctrl-C
would (SIGINT, then SIGKILL if it lingers); ``Server.kill()`` is ``kill -9``, nothing flushed,
nothing cleaned up. ``running_server(...)`` is the context-manager form: the server stops when
the block ends, however it ends.

The server is started with the real argon2 parameters (the in-process tests' cheap ones are a
monkeypatch of the test process): a sign-up costs it about a quarter of a second.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

__all__ = ["START_TIMEOUT_S", "Server", "free_port", "running_server", "start_server"]

#: Seconds a server may take to migrate its database and answer ``/healthz``.
START_TIMEOUT_S = 60.0
#: Seconds a server may take to stop after SIGINT before it is killed.
STOP_TIMEOUT_S = 15.0
#: How many free ports to try: another process may take the one chosen before the server binds.
PORT_ATTEMPTS = 3
#: No proxy for loopback, whatever the environment says.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    """A port free on 127.0.0.1 now (the caller retries if it is taken before the bind)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    """A running ``orglens serve``: its process, where it listens, its data and database."""

    process: subprocess.Popen[bytes]
    port: int
    data: Path
    db_url: str
    log: Path

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def healthz(self) -> int | None:
        """The status of ``GET /healthz``, ``None`` when nothing answers."""
        try:
            with _DIRECT.open(f"{self.url}/healthz", timeout=5) as answer:
                status: int = answer.status
                return status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return None

    def output(self) -> str:
        """What the server wrote to its log so far."""
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        """``kill -9`` the server, its worker processes included, and reap it."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=STOP_TIMEOUT_S)

    def stop(self) -> None:
        """Stop the server as Ctrl-C does (uvicorn shuts down cleanly); kill it if it lingers."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.kill()


def _launch(data: Path, db_url: str, port: int, workers: int) -> Server:
    log = data.parent / f"server-{data.name}-{port}.log"
    command = [sys.executable, "-m", "orglens", "serve"]
    command += ["--data", str(data), "--db", db_url, "--port", str(port)]
    command += ["--workers", str(workers)]
    environment = os.environ | {"PYTHONUNBUFFERED": "1"}
    with log.open("ab") as written:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=written,
            stderr=subprocess.STDOUT,
            env=environment,
            start_new_session=True,  # its own process group: kill() reaches every worker
        )
    return Server(process, port, data, db_url, log)


def _ready(server: Server, timeout_s: float) -> bool:
    """Wait until ``/healthz`` answers 200 (True) or the server exits (False)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            return False
        if server.healthz() == 200:
            return True
        time.sleep(0.05)
    server.kill()
    pytest.fail(f"orglens serve did not answer /healthz in {timeout_s:.0f} s:\n{server.output()}")


def start_server(
    data: Path, db_url: str, *, workers: int = 1, timeout_s: float = START_TIMEOUT_S
) -> Server:
    """Start ``orglens serve`` on ``data`` and ``db_url`` (with ``--workers``); return it once
    ``/healthz`` is 200."""
    data.parent.mkdir(parents=True, exist_ok=True)
    server: Server | None = None
    for _ in range(PORT_ATTEMPTS):
        server = _launch(data, db_url, free_port(), workers)
        if _ready(server, timeout_s):
            return server
        if "address already in use" not in server.output().lower():
            break
    assert server is not None
    pytest.fail(f"orglens serve exited ({server.process.returncode}):\n{server.output()}")


@contextlib.contextmanager
def running_server(data: Path, db_url: str) -> Iterator[Server]:
    """``start_server(...)``, stopped when the block ends (killed if it will not stop)."""
    server = start_server(data, db_url)
    try:
        yield server
    finally:
        server.stop()
