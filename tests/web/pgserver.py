"""A throwaway PostgreSQL server for the web workspace's database tests.

``running_postgresql()`` starts a server of the machine's own binaries (Debian's ``postgresql``
package, which ``make test`` installs) in a fresh temporary directory: data, log and Unix socket
all inside it, listening on a free port of 127.0.0.1 only, trust authentication, ``fsync`` off.
It yields a SQLAlchemy URL, ``postgresql+pg8000://postgres@127.0.0.1:PORT/postgres``, and on the
way out stops the server and removes the directory, whether the tests passed, failed or were
interrupted; an ``atexit`` hook covers an interpreter that leaves without unwinding, and a server
left by a killed session (its owner process gone) is stopped by the next one.

``initdb`` and ``pg_ctl`` refuse to run as root, so as root they run as the ``postgres`` user
(``runuser -u postgres``); otherwise they run as the current user. One server serves a whole test
session (starting one costs about a second); ``fresh_database(url)`` gives each test its own
empty database on it, dropped afterwards, so tests stay independent. ``running_postgresql_or_skip``
is the form for fixtures: without PostgreSQL the tests skip with the reason (they fail under CI,
where ``make test`` has installed it). In a ``conftest.py``::

    @pytest.fixture(scope="session")
    def postgresql_server() -> Iterator[str]:
        with running_postgresql_or_skip() as url:
            yield url


    @pytest.fixture
    def postgresql_url(postgresql_server: str) -> Iterator[str]:
        with fresh_database(postgresql_server) as url:
            yield url
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NoReturn

import pg8000.native
import pytest
from sqlalchemy.engine import make_url

__all__ = [
    "PostgreSQLUnavailable",
    "find_binaries",
    "fresh_database",
    "running_postgresql",
    "running_postgresql_or_skip",
]

#: Where Debian's ``postgresql`` package puts the server binaries (not on ``PATH``).
DEBIAN_ROOT = Path("/usr/lib/postgresql")
#: The user the server runs as when the tests run as root (Debian's package creates it).
SERVER_USER = "postgres"
#: Temporary directories are named ``<PREFIX>XXXXXXXX``; a stale one is recognised by it.
PREFIX = "orglens-pg-"
#: Seconds ``pg_ctl`` waits for the server to start or stop.
TIMEOUT = 60
#: How many free ports to try: another process may take the one chosen before the server binds.
PORT_ATTEMPTS = 5
INSTALL_HINT = "run `make test` (or `make postgresql`), which installs Debian's postgresql"


class PostgreSQLUnavailable(RuntimeError):
    """This machine cannot run a throwaway PostgreSQL server (no binaries, no server user)."""


def find_binaries(*, debian_root: Path | None = None, path: str | None = None) -> Path:
    """The directory of ``initdb``, ``pg_ctl`` and ``postgres``.

    The newest version under ``/usr/lib/postgresql/*/bin`` (Debian), else the directory of the
    ``initdb`` on ``PATH`` (other systems). Raises ``PostgreSQLUnavailable`` saying how to
    install it.
    """
    root = DEBIAN_ROOT if debian_root is None else debian_root
    debian = sorted(root.glob("*/bin/initdb"), key=lambda initdb: _version(initdb.parts[-3]))
    on_path = shutil.which("initdb", path=path)
    for initdb in [*reversed(debian), *([Path(on_path)] if on_path else [])]:
        directory = initdb.parent
        if all((directory / name).is_file() for name in ("pg_ctl", "postgres")):
            return directory
    raise PostgreSQLUnavailable(
        f"PostgreSQL not installed (no initdb in {root}/*/bin nor on PATH): {INSTALL_HINT}"
    )


@contextlib.contextmanager
def running_postgresql() -> Iterator[str]:
    """Start a throwaway server; yield its SQLAlchemy URL; stop it and remove its directory."""
    binaries = find_binaries()
    as_user = _as_server_user()
    _reap_orphans(binaries, as_user)
    directory = Path(tempfile.mkdtemp(prefix=PREFIX, dir=_temporary_root()))
    stop = functools.partial(_stop, directory, binaries, as_user)
    atexit.register(stop)
    try:
        (directory / "owner").write_text(f"{os.getpid()}\n", encoding="ascii")
        if as_user:
            shutil.chown(directory, user=SERVER_USER, group=_group_of(SERVER_USER))
        port = _start(directory, binaries, as_user)
        yield f"postgresql+pg8000://postgres@127.0.0.1:{port}/postgres"
    finally:
        stop()
        atexit.unregister(stop)


@contextlib.contextmanager
def running_postgresql_or_skip() -> Iterator[str]:
    """``running_postgresql()``, skipping the test when PostgreSQL is not installed.

    Under CI (``CI`` set) the test fails instead: ``make test`` should have installed it.
    """
    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(running_postgresql())
        except PostgreSQLUnavailable as missing:
            _unavailable(str(missing))
        yield url


@contextlib.contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """Create an empty database ``t_<random>`` on the server; yield its URL; drop it after.

    The drop is forced: connections a test left open (an engine not disposed) are closed.
    """
    server = make_url(server_url)
    name = f"t_{secrets.token_hex(6)}"
    _administer(server_url, f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        _administer(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _administer(server_url: str, statement: str) -> None:
    url = make_url(server_url)
    connection = pg8000.native.Connection(
        user=url.username or SERVER_USER,
        password=url.password,
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        database=url.database or "postgres",
    )
    try:
        connection.run(statement)
    finally:
        connection.close()


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI: `make test` should have installed it)")
    pytest.skip(reason)


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else -1 for part in name.split("."))


def _as_server_user() -> bool:
    """Whether the binaries must run as ``postgres``: they refuse root."""
    if os.geteuid() != 0:
        return False
    if shutil.which("runuser") is None or _group_of(SERVER_USER) is None:
        raise PostgreSQLUnavailable(
            f"running as root, and initdb refuses root: no {SERVER_USER!r} user or no runuser "
            f"to run it as that user; {INSTALL_HINT}"
        )
    return True


def _group_of(user: str) -> int | None:
    try:
        return pwd.getpwnam(user).pw_gid
    except KeyError:
        return None


def _temporary_root() -> str:
    """Where the directory goes: the user ``postgres`` must reach it when we are root, and a
    Unix socket path is limited to about 100 bytes."""
    root = tempfile.gettempdir()
    return "/tmp" if os.geteuid() == 0 or len(root) > 60 else root


def _run(
    command: Sequence[str | Path], directory: Path, as_user: bool
) -> subprocess.CompletedProcess[str]:
    prefix = ["runuser", "-u", SERVER_USER, "--"] if as_user else []
    # PGPORT, PGDATA and friends would override what is asked for here.
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    return subprocess.run(
        [*prefix, *map(str, command)],
        cwd=directory,
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT + 30,
        check=False,
    )


def _start(directory: Path, binaries: Path, as_user: bool) -> int:
    """initdb, then start on a free port; return the port."""
    data = directory / "data"
    initdb: list[str | Path] = [binaries / "initdb", "-D", data, "-U", "postgres", "-A", "trust"]
    done = _run([*initdb, "-E", "UTF8", "--no-locale", "--no-sync"], directory, as_user)
    if done.returncode != 0:
        raise RuntimeError(f"initdb failed:\n{done.stdout}{done.stderr}")
    socket_directory = str(directory).replace("'", "''")
    with (data / "postgresql.conf").open("a", encoding="utf-8") as settings:
        settings.write(
            "\n# orglens tests: loopback only, socket in the temporary directory, no fsync\n"
            "listen_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{socket_directory}'\n"
            "fsync = off\n"
            "synchronous_commit = off\n"
            "full_page_writes = off\n"
        )
    log = directory / "server.log"
    for _ in range(PORT_ATTEMPTS):
        port = _free_port()
        start: list[str | Path] = [
            binaries / "pg_ctl",
            "-D",
            data,
            "-l",
            log,
            "-w",
            "-t",
            str(TIMEOUT),
        ]
        done = _run([*start, "-o", f"-p {port}", "start"], directory, as_user)
        if done.returncode == 0:
            return port
        server_log = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        if "could not bind" not in server_log:
            break
        log.write_text("", encoding="utf-8")
    raise RuntimeError(f"PostgreSQL did not start:\n{done.stdout}{done.stderr}{server_log}")


def _free_port() -> int:
    """A port free on 127.0.0.1 now; the caller retries if it is taken before the server binds."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _stop(directory: Path, binaries: Path, as_user: bool) -> None:
    """Stop the server if it runs (fast, else immediate) and remove the directory."""
    data = directory / "data"
    if (data / "postmaster.pid").exists():
        for mode in ("fast", "immediate"):
            stop: list[str | Path] = [binaries / "pg_ctl", "-D", data, "-m", mode, "-w"]
            if _run([*stop, "-t", str(TIMEOUT), "stop"], directory, as_user).returncode == 0:
                break
    shutil.rmtree(directory, ignore_errors=True)


def _reap_orphans(binaries: Path, as_user: bool) -> None:
    """Stop the servers and remove the directories of sessions that were killed (kill -9)."""
    for directory in Path(_temporary_root()).glob(f"{PREFIX}*"):
        owner = directory / "owner"
        try:
            if owner.stat().st_uid != os.getuid():
                continue
            pid = int(owner.read_text(encoding="ascii"))
        except (OSError, ValueError):
            continue
        if not _alive(pid):
            _stop(directory, binaries, as_user)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
