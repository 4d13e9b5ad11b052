"""No data lost: ``kill -9`` of the real ``orglens serve`` while it writes, then a restart on the
same ``--data`` and ``--db``, leaves a database that starts, is consistent and holds every
write the server had answered — on a SQLite file and on PostgreSQL.

Each test starts the server in a subprocess (:mod:`server`), drives it over HTTP as a browser's
forms would (session and CSRF cookies, the ``csrf`` field), kills it with SIGKILL in the middle
of something, starts it again and looks at the database and the data folder directly:

- an upload killed while its body is still being sent, and one killed once the server is
  unpacking it (``DATA/tmp`` holds it), leave no row and no folder; every ``versions`` row
  keeps its folder, and what a kill can leave (a folder in ``DATA/tmp``, a version folder
  without its row) is gone after start-up;
- a burst of comments and replies from several threads, killed halfway: every comment the
  server answered is there, whole, and every comment there was sent whole, its parent too;
- an optimize job running when the server dies is marked failed ("interrupted by a
  restart") when the next one starts.

The comment burst and the job run again on a server of two processes (``--workers 2``): their
writes interleave in one database, and the kill takes every process of the server.

Waits are loops on what can be seen (a folder, a status) with generous limits; nothing here
asserts how long anything takes.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
from pgserver import fresh_database
from samples_data import DEMO, demo_zip, zipped
from server import Server, start_server
from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url

from orglens.i18n import t, using
from orglens.web.db import engine_for, reading
from orglens.web.tables import Comment, Job, Version

PASSWORD = "correct horse battery"
JSON = {"accept": "application/json"}
#: Seconds a wait for something to be seen may take before the test fails.
PATIENCE_S = 60.0
#: Threads that post comments at once, and the comments the server must have answered before
#: the kill (so that it lands in the middle of the burst).
WRITERS = 4
ANSWERED_BEFORE_KILL = 40


# -- the database and the server --------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a server keeps its data: the ``--data`` folder and the ``--db`` URL."""

    data: Path
    db_url: str

    @property
    def sqlite_file(self) -> Path | None:
        url = make_url(self.db_url)
        return Path(url.database) if url.drivername.startswith("sqlite") and url.database else None


@pytest.fixture(params=["sqlite", "postgresql"])
def place(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Place]:
    """A fresh data folder, and a SQLite file in it or an empty PostgreSQL database."""
    data = tmp_path / "data"
    if request.param == "sqlite":
        yield Place(data, f"sqlite:///{data / 'orglens.db'}")
        return
    with fresh_database(request.getfixturevalue("postgresql_server")) as url:
        yield Place(data, url)


@pytest.fixture
def workers() -> int:
    """The server's processes (``orglens serve --workers``); a test parametrized on
    ``workers`` runs with each."""
    return 1


@pytest.fixture
def serve(place: Place, workers: int) -> Iterator[Callable[[], Server]]:
    """``serve()``: start the server on ``place`` (again); every one is stopped at the end."""
    started: list[Server] = []

    def start() -> Server:
        server = start_server(place.data, place.db_url, workers=workers)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def engine(place: Place) -> Iterator[Engine]:
    """The test's own view of the server's database (opened lazily: after the first start)."""
    opened = engine_for(place.db_url)
    yield opened
    opened.dispose()


# -- people at the server ----------------------------------------------------------------------


@dataclass
class Visitor:
    """An HTTP client with its cookies, sending the CSRF token as a page's forms do."""

    client: httpx.Client

    @property
    def csrf(self) -> str:
        return self.client.cookies["orglens_csrf"]

    def post(self, path: str, data: dict[str, str] | None = None, **kwargs: Any) -> httpx.Response:
        return self.client.post(path, data={"csrf": self.csrf, **(data or {})}, **kwargs)

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.client.cookies.items())


#: Every client a test opened, closed when it ends (see ``closed_clients``).
_CLIENTS: list[httpx.Client] = []


@pytest.fixture(autouse=True)
def closed_clients() -> Iterator[None]:
    yield
    while _CLIENTS:
        _CLIENTS.pop().close()


def visitor(server: Server, cookies: httpx.Cookies | None = None) -> Visitor:
    """A new browser at ``server`` (with ``cookies``: an old browser's, after a restart)."""
    client = httpx.Client(
        base_url=server.url,
        follow_redirects=False,
        timeout=PATIENCE_S,
        trust_env=False,
        cookies=cookies,
    )
    _CLIENTS.append(client)
    if cookies is None:
        client.get("/healthz")  # sets the CSRF cookie
    return Visitor(client)


def moved(someone: Visitor, server: Server) -> Visitor:
    """The same browser (its cookies: session and CSRF) at a restarted server's new port."""
    cookies = httpx.Cookies()
    for name, value in someone.client.cookies.items():
        cookies.set(name, value)
    return visitor(server, cookies)


def signed_up(server: Server, name: str) -> Visitor:
    someone = visitor(server)
    email = f"{name.lower()}.{secrets.token_hex(3)}@example.com"
    form = {"name": name, "email": email, "password": PASSWORD, "lang": "en"}
    answer = someone.post("/signup", form)
    assert answer.status_code == 303, answer.text
    return someone


def new_workspace(owner: Visitor, name: str = "Nordljus") -> int:
    answer = owner.post("/workspaces", {"name": name})
    assert answer.status_code == 303, answer.text
    return int(answer.headers["location"].rsplit("/", 1)[1])


def joined(server: Server, owner: Visitor, ws: int, name: str, role: str) -> Visitor:
    """Someone new, invited by ``owner`` as ``role``, who has joined ``ws``."""
    made = owner.post(f"/w/{ws}/invitations", {"role": role}, headers=JSON)
    assert made.status_code == 201, made.text
    link = made.json()["invitation"]["url"].removeprefix(server.url)
    someone = signed_up(server, name)
    assert someone.post(link).status_code == 303
    return someone


def uploaded(owner: Visitor, ws: int, archive: bytes, filename: str = "demo.zip") -> int:
    """Upload ``archive`` as the next version; its number."""
    files = {"file": (filename, archive, "application/zip")}
    answer = owner.post(f"/w/{ws}/data", files=files, headers=JSON)
    assert answer.status_code == 201, answer.text
    number: int = answer.json()["version"]["number"]
    return number


@cache
def big_workspace_zip() -> bytes:
    """The demo and 24 MiB of noise beside it: a valid workspace that takes a while to send
    and to unpack (noise does not compress)."""
    files: dict[str, str | bytes] = {p.name: p.read_bytes() for p in DEMO.iterdir() if p.is_file()}
    files["padding.bin"] = os.urandom(24 * 2**20)
    return zipped(files, "demo")


def upload_request(server: Server, owner: Visitor, ws: int, archive: bytes) -> tuple[bytes, bytes]:
    """The HTTP request of an upload as a browser sends it: its head and its body."""
    boundary = f"----orglens{secrets.token_hex(8)}"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{owner.csrf}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.zip"\r\n'
            "Content-Type: application/zip\r\n\r\n"
        ).encode()
        + archive
        + f"\r\n--{boundary}--\r\n".encode()
    )
    head = (
        f"POST /w/{ws}/data HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(body)}\r\nCookie: {owner.cookie_header()}\r\n"
        "Accept: application/json\r\nConnection: close\r\n\r\n"
    ).encode()
    return head, body


def wait_for(what: str, seen: Callable[[], bool]) -> None:
    deadline = time.monotonic() + PATIENCE_S
    while not seen():
        if time.monotonic() > deadline:
            pytest.fail(f"not seen in {PATIENCE_S:.0f} s: {what}")
        time.sleep(0.001)


# -- what must hold after a restart --------------------------------------------------------------


def assert_database_sound(place: Place) -> None:
    """SQLite: ``PRAGMA integrity_check`` and ``foreign_key_check`` find nothing."""
    if place.sqlite_file is None:
        return  # PostgreSQL: its own recovery; the rows are checked by each test
    connection = sqlite3.connect(place.sqlite_file)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        connection.close()


def assert_files_match_rows(place: Place, engine: Engine) -> list[str]:
    """Every ``versions`` row has its folder (with files in it); no version folder is without
    its row; ``DATA/tmp`` is empty. Returns the folders of the rows."""
    with reading(engine) as db:
        folders = sorted(db.scalars(select(Version.folder)))
    for folder in folders:
        assert any(p.is_file() for p in (place.data / folder).rglob("*")), folder
    on_disk = sorted(
        p.relative_to(place.data).as_posix() for p in place.data.glob("workspaces/*/*")
    )
    assert on_disk == folders
    tmp = place.data / "tmp"
    assert not tmp.exists() or list(tmp.iterdir()) == []
    return folders


def restarted(serve: Callable[[], Server], place: Place, engine: Engine) -> Server:
    """The server started again: it answers, its database is sound, its files match its rows
    (checked before any request could write a scratch folder)."""
    server = serve()
    assert server.healthz() == 200
    assert_database_sound(place)
    assert_files_match_rows(place, engine)
    return server


# -- the tests -----------------------------------------------------------------------------------


def test_a_kill_during_uploads_loses_no_version_and_leaves_no_stray_folder(
    serve: Callable[[], Server], place: Place, engine: Engine
) -> None:
    server = serve()
    owner = signed_up(server, "Olga")
    ws = new_workspace(owner)
    assert uploaded(owner, ws, demo_zip()) == 1
    big = big_workspace_zip()

    # (1) killed while the body is on its way: half of it sent
    head, body = upload_request(server, owner, ws, big)
    with socket.create_connection(("127.0.0.1", server.port)) as sending:
        sending.sendall(head + body[: len(body) // 2])
        server.kill()
    server = restarted(serve, place, engine)

    # (2) killed once the server is unpacking it: its folder in DATA/tmp is seen
    owner = moved(owner, server)
    head, body = upload_request(server, owner, ws, big)
    tmp = place.data / "tmp"
    with socket.create_connection(("127.0.0.1", server.port)) as sending:
        sending.sendall(head + body)
        wait_for("the upload unpacked in DATA/tmp", lambda: tmp.is_dir() and any(tmp.iterdir()))
        server.kill()

    # (3) what a kill between the rename and the commit would leave, and a stray upload folder
    stray_version = place.data / "workspaces" / str(ws) / "v2"
    stray_version.mkdir(parents=True)
    (stray_version / "people.csv").write_text("id,name\n", encoding="utf-8")
    (tmp / "upload-stray" / "version").mkdir(parents=True)
    server = restarted(serve, place, engine)

    with reading(engine) as db:
        numbers = db.scalars(select(Version.number).where(Version.workspace_id == ws)).all()
    assert numbers == [1]  # the killed uploads left no row
    owner = moved(owner, server)
    assert owner.client.get(f"/w/{ws}/dashboard").status_code == 200  # v1 opens
    assert uploaded(owner, ws, big, "big.zip") == 2  # the same upload, left alone, is kept
    assert assert_files_match_rows(place, engine) == [f"workspaces/{ws}/v1", f"workspaces/{ws}/v2"]


@dataclass
class Burst:
    """What the writers sent, and what the server answered."""

    #: body → the body of the comment it replies to (``None``: a new thread)
    sent: dict[str, str | None] = field(default_factory=dict)
    #: comment id → its body, for every comment the server answered 303
    answered: dict[int, str] = field(default_factory=dict)
    #: answers that were neither a 303 nor a dropped connection
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)


def write_comments(writer: Visitor, ws: int, name: str, burst: Burst) -> None:
    """Post comments until the server dies: a new thread, then replies to the last answer."""
    parent: tuple[int, str] | None = None
    for n in range(10_000):
        if burst.stop.is_set():
            return
        body = f"{name} #{n}: " + " ".join(["words"] * (n % 7 + 1))
        form = {"target": "recommendation", "body": body}
        if parent is not None and n % 3:
            form["parent"] = str(parent[0])
        with burst.lock:
            burst.sent[body] = parent[1] if "parent" in form and parent else None
        try:
            answer = writer.post(f"/w/{ws}/comments", form)
        except httpx.HTTPError:
            return  # the server is gone
        found = re.search(r"#c(\d+)$", answer.headers.get("location", ""))
        if answer.status_code != 303 or not found:
            with burst.lock:
                burst.problems.append(f"{answer.status_code}: {answer.text[:200]}")
            return
        parent = (int(found.group(1)), body)
        with burst.lock:
            burst.answered[parent[0]] = body


@pytest.mark.parametrize("workers", [1, 2])
def test_a_kill_during_a_burst_of_comments_keeps_every_answered_comment_whole(
    serve: Callable[[], Server], place: Place, engine: Engine
) -> None:
    server = serve()
    owner = signed_up(server, "Olga")
    ws = new_workspace(owner)
    writers = [owner] + [
        joined(server, owner, ws, f"Writer{i}", "commenter") for i in range(1, WRITERS)
    ]
    burst = Burst()
    threads = [
        threading.Thread(target=write_comments, args=(w, ws, f"w{i}", burst), daemon=True)
        for i, w in enumerate(writers)
    ]
    for thread in threads:
        thread.start()
    wait_for("comments answered", lambda: len(burst.answered) >= ANSWERED_BEFORE_KILL)
    server.kill()
    burst.stop.set()
    for thread in threads:
        thread.join(PATIENCE_S)
        assert not thread.is_alive()
    assert burst.problems == []
    server = restarted(serve, place, engine)

    with reading(engine) as db:
        rows = {c.id: c for c in db.scalars(select(Comment).where(Comment.workspace_id == ws))}
    assert len(burst.answered) <= len(rows) <= len(burst.sent)
    for comment_id, body in burst.answered.items():
        assert rows[comment_id].body == body  # answered: there, whole
    for comment in rows.values():
        assert comment.body in burst.sent  # there: sent whole
        expected_parent = burst.sent[comment.body]
        if expected_parent is None:
            assert comment.parent_id is None
        else:
            assert comment.parent_id in rows  # its parent is there
            assert rows[comment.parent_id].body == expected_parent
    owner = moved(owner, server)
    after = owner.post(f"/w/{ws}/comments", {"target": "recommendation", "body": "Still here."})
    assert after.status_code == 303  # the session outlived the kill; the thread takes more
    thread_page = owner.client.get(f"/w/{ws}/discussion", headers=JSON).json()
    assert thread_page["discussion"]["count"] == len(rows) + 1


@pytest.mark.parametrize("workers", [1, 2])
def test_a_job_running_when_the_server_is_killed_is_marked_failed_at_the_restart(
    serve: Callable[[], Server], place: Place, engine: Engine
) -> None:
    server = serve()
    owner = signed_up(server, "Olga")
    ws = new_workspace(owner)
    uploaded(owner, ws, demo_zip())
    started = owner.post(f"/w/{ws}/optimize", {"time_limit": "300", "seed": "0", "save": "1"})
    assert started.status_code == 303, started.text
    job_id = int(started.headers["location"].rsplit("/", 1)[1])

    def status() -> str:
        with reading(engine) as db:
            found: str = db.get_one(Job, job_id).status
            return found

    wait_for("the optimize job running", lambda: status() == "running")
    server.kill()
    assert status() == "running"  # as the killed server left it
    server = restarted(serve, place, engine)

    owner = moved(owner, server)
    with reading(engine) as db:
        job = db.get_one(Job, job_id)
    assert job.status == "failed"
    assert job.finished_at is not None
    with using("en"):
        assert job.message == t("web_scenarios.job_interrupted")
    shown = owner.client.get(f"/w/{ws}/jobs/{job_id}", headers=JSON).json()
    assert shown["status"] == "failed"
    again = owner.post(f"/w/{ws}/optimize", {"time_limit": "1", "seed": "0", "save": "0"})
    assert again.status_code == 303  # no job is left blocking the next one
