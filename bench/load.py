"""Load benchmark of the web workspace: N simulated users on one shared workspace, on loopback.

Usage::

    python bench/load.py [--users 50] [--seconds 60] [--think 1.0] [--uploads 500]
                         [--cycle workspace,dashboard,...] [--db URL | --postgresql]
                         [--workers N] [--profile FILE] [--record]

It starts the real server (``python -m orglens serve --data TMP --port FREE``, SQLite in TMP unless
``--db`` names a database; ``--postgresql`` starts a throwaway PostgreSQL with
``tests/web/pgserver.py``; ``--workers N`` serves with N processes), then prepares, through the
server's own routes (nothing is written to the database behind its back): every user signs up
(argon2 at the server's real cost, two at a time), user 0 creates one workspace and uploads the
demo (``examples/demo`` zipped), reads the comparison's JSON once for the discussion's targets,
invites every other user by a link of their own (role editor) which they accept, and uploads the
demo again, so that the run starts on a version nobody has opened yet.

Then the users run at once for ``--seconds`` (asyncio, one ``httpx.AsyncClient`` each with its own
cookies), each going round the cycle workspace page → dashboard → comparison (the scenarios page) →
a discussion page → post a comment (a reply to a comment of that thread one time in three),
starting at a different place in it, pausing a random 0 to 2 × ``--think`` seconds between actions.
Every ``--uploads``-th action of all users (0: none) is an upload of the demo as a new version
instead: by default every 500th, about 5 new versions a minute for 50 users, already far more than
a leadership team uploads; ``--uploads 50`` (45 a minute, each new version opened by dozens of
users within a second) is the stress mix of bench/RESULTS.md. A user who has not yet done every
kind of page when the time is up goes on until they have (so that tiny runs measure every kind);
the elapsed time is reported. ``--cycle`` leaves kinds out
(``workspace,dashboard,discussion,comment``: all but the comparison).

Pages are asked for a version by number (``?version=N``, the newest the users know of), so that a
page of a version is *cold* when it is the first of its kind for that version, or started before
that first one answered (it computes or waits for the results), and *warm* otherwise. Expected
answers: 200 for a page, 303 for a comment or an upload; anything else, an exception or a timeout
is an error. Measured per kind: count, p50, p95, p99 and max latency, errors; throughput; the
server's peak resident memory (VmHWM of /proc, or its RSS sampled) and its CPU time (both summed
over its processes); the client's own CPU time per request and how late its event loop ran (if the
client were the bottleneck, latencies would include its delays). ``--profile FILE`` runs the server
under cProfile (every thread) and prints where its time went. ``--record`` appends a dated section
to ``bench/RESULTS.md``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import math
import os
import platform
import random
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo"
RESULTS = ROOT / "bench" / "RESULTS.md"
PASSWORD = "correct horse battery staple"
#: The cycle every user goes round, from a place of its own.
CYCLE = ("workspace", "dashboard", "scenarios", "discussion", "comment")
#: Kinds whose first view of a version computes results (reported cold and warm).
COMPUTED = frozenset({"dashboard", "scenarios"})
UPLOAD = "upload"
#: Pages: what the target (p99 under one second) is about; uploads are reported apart.
PAGES = frozenset(CYCLE)
TARGET_P99_S = 1.0


# -- measuring -----------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile of ``values`` by the nearest-rank method (``nan`` when empty).

    >>> percentile([5, 1, 4, 2, 3], 50), percentile([5, 1, 4, 2, 3], 99)
    (3, 5)
    >>> percentile(list(range(1, 101)), 95)
    95
    """
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


@dataclass(frozen=True)
class Sample:
    """One request: its kind (``dashboard``, ``upload``, ...), cold/warm for computed pages
    (empty otherwise), its latency, and what went wrong (``None`` when it answered as
    expected)."""

    kind: str
    phase: str
    seconds: float
    error: str | None


@dataclass(frozen=True)
class Row:
    """The figures of one line of the table."""

    label: str
    count: int
    errors: int
    p50: float
    p95: float
    p99: float
    max: float

    @classmethod
    def of(cls, label: str, samples: Sequence[Sample]) -> Row:
        times = [s.seconds for s in samples]
        errors = sum(1 for s in samples if s.error is not None)
        p50, p95, p99 = (percentile(times, q) for q in (50, 95, 99))
        return cls(label, len(samples), errors, p50, p95, p99, max(times, default=math.nan))

    def cells(self) -> str:
        def ms(value: float) -> str:
            return "–" if math.isnan(value) else f"{value * 1000:,.0f}"

        times = " | ".join(ms(v) for v in (self.p50, self.p95, self.p99, self.max))
        return f"| {self.label} | {self.count:,} | {self.errors} | {times} |"


def rows_of(samples: Sequence[Sample]) -> list[Row]:
    """The table's rows: each kind (computed pages cold and warm apart), then all pages with
    and without the cold ones."""
    rows = []
    for kind in (*CYCLE, UPLOAD):
        mine = [s for s in samples if s.kind == kind]
        if kind in COMPUTED:
            for phase in ("cold", "warm"):
                rows.append(Row.of(f"{kind} ({phase})", [s for s in mine if s.phase == phase]))
        else:
            rows.append(Row.of(kind, mine))
    pages = [s for s in samples if s.kind in PAGES]
    rows.append(Row.of("**all pages**", pages))
    rows.append(Row.of("**all pages, warm only**", [s for s in pages if s.phase != "cold"]))
    return rows


# -- the server ----------------------------------------------------------------------------------

#: Runs ``python -m orglens ARGS`` with a cProfile profiler in every thread (the handlers run
#: in worker threads); at exit their statistics, merged, go to the file ``argv[1]``.
PROFILED = """
import atexit, cProfile, pstats, runpy, sys, threading
out, profilers = sys.argv[1], []
class Snapshot:
    def __init__(self, profiler):
        profiler.snapshot_stats()
        self.stats = profiler.stats
    def create_stats(self):
        pass
def install(*_):
    profiler = cProfile.Profile()
    profilers.append(profiler)
    profiler.enable()
def dump():
    merged = pstats.Stats(Snapshot(profilers[0]))
    for profiler in profilers[1:]:
        merged.add(Snapshot(profiler))
    merged.dump_stats(out)
threading.setprofile(install)
install()
atexit.register(dump)
sys.argv = ["orglens", *sys.argv[2:]]
runpy.run_module("orglens", run_name="__main__", alter_sys=True)
"""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    """The ``orglens serve`` process of the run."""

    process: subprocess.Popen[bytes]
    base: str
    log: Path

    def pids(self) -> list[int]:
        """The server's processes: the one started and its descendants (``--workers``)."""
        found, index = [self.process.pid], 0
        while index < len(found):
            for task in Path(f"/proc/{found[index]}/task").glob("*/children"):
                with contextlib.suppress(OSError):
                    found.extend(int(pid) for pid in task.read_text().split())
            index += 1
        return found

    def status_kb(self, name: str) -> int | None:
        """A ``VmXXX`` line of ``/proc/PID/status`` in kB, summed over the server's processes
        (``None`` off Linux)."""
        total = None
        for pid in self.pids():
            try:
                text = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
            except OSError:
                continue
            for line in text.splitlines():
                if line.startswith(f"{name}:"):
                    total = (total or 0) + int(line.split()[1])
        return total

    def rss_mb(self) -> float | None:
        """The server's resident memory now (all its processes)."""
        found = self.status_kb("VmRSS")
        return None if found is None else found / 1024

    def cpu_seconds(self) -> float | None:
        """CPU time the server's processes have used (user + system)."""
        total = None
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total = (total or 0.0) + (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total


@contextlib.contextmanager
def running_server(
    data: Path, db_url: str | None, profile: Path | None, workers: int = 1
) -> Iterator[Server]:
    """``orglens serve`` on a free port of loopback, until the block ends (SIGINT, as Ctrl-C)."""
    port = free_port()
    args = [
        "serve",
        "--data",
        str(data),
        "--port",
        str(port),
        *(["--db", db_url] if db_url else []),
        *(["--workers", str(workers)] if workers > 1 else []),
    ]
    argv = [sys.executable, "-m", "orglens", *args]
    if profile is not None:
        argv = [sys.executable, "-c", PROFILED, str(profile), *args]
    log = data.parent / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(argv, stdout=output, stderr=subprocess.STDOUT, cwd=data.parent)
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped:\n{log.read_text(errors='replace')}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{server.base}/healthz", trust_env=False).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer:\n{log.read_text(errors='replace')}")
            time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextlib.contextmanager
def database(args: argparse.Namespace) -> Iterator[str | None]:
    """The ``--db`` URL: as given, a fresh database on a throwaway PostgreSQL, or ``None``
    (the server's SQLite file in its data folder)."""
    if not args.postgresql:
        yield args.db
        return
    sys.path.insert(0, str(ROOT / "tests" / "web"))
    import pgserver  # type: ignore[import-not-found]

    with pgserver.running_postgresql() as url, pgserver.fresh_database(url) as fresh:
        yield fresh


# -- the users -----------------------------------------------------------------------------------


def demo_zip() -> bytes:
    """``examples/demo`` as a browser uploads the folder: a .zip of ``demo/``."""
    sent = io.BytesIO()
    with zipfile.ZipFile(sent, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(DEMO.iterdir()):
            if path.is_file():
                archive.write(path, f"demo/{path.name}")
    return sent.getvalue()


@dataclass
class Run:
    """What the users share: the workspace, the newest version they know of, the discussion's
    targets and comments, the pages already answered per version, and every sample."""

    ws: int
    version: int
    targets: list[str]
    upload_every: int
    demo: bytes
    cycle: tuple[str, ...] = CYCLE
    deadline: float = 0.0
    actions: int = 0
    comments: dict[str, list[int]] = field(default_factory=dict)
    answered: set[tuple[str, int]] = field(default_factory=set)
    samples: list[Sample] = field(default_factory=list)


def _csrf(client: httpx.AsyncClient) -> str:
    return client.cookies.get("orglens_csrf") or ""


async def _expect(answer: httpx.Response, status: int, what: str) -> httpx.Response:
    if answer.status_code != status:
        raise RuntimeError(f"{what}: HTTP {answer.status_code}: {answer.text[:500]}")
    return answer


def new_client(base: str, timeout: float) -> httpx.AsyncClient:
    # An idle connection is dropped before the server's keep-alive (uvicorn: 5 s) would close
    # it: with both at 5 s a request could go out on a connection the server was closing
    # ("Server disconnected without sending a response", seen once in the setup).
    limits = httpx.Limits(keepalive_expiry=2.0)
    return httpx.AsyncClient(base_url=base, timeout=timeout, trust_env=False, limits=limits)


async def sign_up(client: httpx.AsyncClient, index: int, gate: asyncio.Semaphore) -> None:
    """User ``index`` signs up as a person does: the form (which sets the CSRF cookie), then
    its POST (argon2 on the server: ``gate`` keeps the machine's cores from all hashing at once)."""
    async with gate:
        await _expect(await client.get("/signup"), 200, "sign-up form")
        form = {"name": f"Load User {index}", "email": f"user{index}@load.example"}
        form |= {"password": PASSWORD, "lang": "en", "csrf": _csrf(client)}
        await _expect(await client.post("/signup", data=form), 303, "sign-up")


async def upload(client: httpx.AsyncClient, ws: int, demo: bytes) -> int:
    """Upload the demo as a new version; its number."""
    files = {"file": ("demo.zip", demo, "application/zip")}
    answer = await client.post(f"/w/{ws}/data", data={"csrf": _csrf(client)}, files=files)
    await _expect(answer, 303, "upload")
    return int(answer.headers["location"].rstrip("/").rsplit("/", 1)[1])


def discussion_targets(comparison: dict[str, Any]) -> list[str]:
    """The targets the comparison page shows a discussion of: the recommendation, each finding
    and each design.

    >>> discussion_targets({"findings": [{"target": "finding:x"}],
    ...                     "scenarios": [{"target": "scenario:a"}]})
    ['recommendation', 'finding:x', 'scenario:a']
    """
    found = ["recommendation"]
    found += [finding["target"] for finding in comparison.get("findings", [])]
    found += [entry["target"] for entry in comparison.get("scenarios", [])]
    return list(dict.fromkeys(found))


async def prepare(clients: list[httpx.AsyncClient], upload_every: int) -> Run:
    """Sign every user up, one workspace with the demo, everyone a member (see the module)."""
    gate = asyncio.Semaphore(2)
    await asyncio.gather(*(sign_up(client, i, gate) for i, client in enumerate(clients)))
    owner, demo = clients[0], demo_zip()
    made = await owner.post("/workspaces", data={"name": "Load test", "csrf": _csrf(owner)})
    ws = int((await _expect(made, 303, "create")).headers["location"].rsplit("/", 1)[1])
    first = await upload(owner, ws, demo)
    compared = await owner.get(f"/w/{ws}/scenarios?version={first}&format=json")
    targets = discussion_targets((await _expect(compared, 200, "comparison")).json()["comparison"])
    for client in clients[1:]:
        invited = await owner.post(
            f"/w/{ws}/invitations",
            data={"role": "editor", "csrf": _csrf(owner)},
            headers={"accept": "application/json"},
        )
        url = httpx.URL((await _expect(invited, 201, "invitation")).json()["invitation"]["url"])
        await _expect(await client.get(url.path), 200, "invitation page")
        await _expect(await client.post(url.path, data={"csrf": _csrf(client)}), 303, "accept")
    version = await upload(owner, ws, demo)
    return Run(ws, version, targets, upload_every, demo)


async def act(run: Run, client: httpx.AsyncClient, kind: str, rng: random.Random) -> None:
    """One action of a user, measured into ``run.samples``."""
    ws, version, phase = run.ws, run.version, ""
    if kind in COMPUTED:
        phase = "warm" if (kind, version) in run.answered else "cold"
    target = rng.choice(run.targets)
    started = time.perf_counter()
    error: str | None = None
    try:
        if kind == "workspace":
            answer, expected = await client.get(f"/w/{ws}"), 200
        elif kind == "dashboard":
            answer, expected = await client.get(f"/w/{ws}/dashboard?version={version}"), 200
        elif kind == "scenarios":
            answer, expected = await client.get(f"/w/{ws}/scenarios?version={version}"), 200
        elif kind == "discussion":
            answer = await client.get(f"/w/{ws}/discussion", params={"target": target})
            expected = 200
        elif kind == "comment":
            known = run.comments.get(target, [])
            parent = str(rng.choice(known)) if known and rng.random() < 1 / 3 else ""
            text = f"Load comment {rng.randrange(10**6)}: *why* this design, and at what cost?"
            form = {"target": target, "parent": parent, "body": text, "csrf": _csrf(client)}
            answer, expected = await client.post(f"/w/{ws}/comments", data=form), 303
        else:
            files = {"file": ("demo.zip", run.demo, "application/zip")}
            form = {"csrf": _csrf(client)}
            answer = await client.post(f"/w/{ws}/data", data=form, files=files)
            expected = 303
        if answer.status_code != expected:
            error = f"HTTP {answer.status_code}"
    except httpx.TimeoutException:
        error = "timeout"
    except httpx.HTTPError as problem:
        error = type(problem).__name__
    seconds = time.perf_counter() - started
    run.samples.append(Sample(kind, phase, seconds, error))
    if error is not None:
        return
    location = answer.headers.get("location", "")
    if kind in COMPUTED:
        run.answered.add((kind, version))
    elif kind == "comment" and "#c" in location:
        run.comments.setdefault(target, []).append(int(location.rsplit("#c", 1)[1]))
    elif kind == UPLOAD:
        run.version = max(run.version, int(location.rstrip("/").rsplit("/", 1)[1]))


async def user(run: Run, client: httpx.AsyncClient, index: int, think: float, seed: int) -> None:
    """One user's loop (see the module): round the cycle until the time is up and every kind
    has been done once."""
    rng = random.Random(seed * 1_000 + index)
    cycle = run.cycle
    place, done = index % len(cycle), set[str]()
    await asyncio.sleep(rng.uniform(0, think))  # users do not all arrive in the same instant
    while time.perf_counter() < run.deadline or len(done) < len(cycle):
        run.actions += 1
        if run.upload_every and run.actions % run.upload_every == 0:
            await act(run, client, UPLOAD, rng)
        else:
            kind = cycle[place]
            await act(run, client, kind, rng)
            done.add(kind)
            place = (place + 1) % len(cycle)
        await asyncio.sleep(rng.uniform(0, 2 * think))


@dataclass
class Watch:
    """The client's health during the run: how late its event loop woke up, and the server's
    resident memory sampled."""

    lags: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)


async def watch(server: Server, into: Watch, stop: asyncio.Event) -> None:
    tick, samples = 0.05, 0
    while not stop.is_set():
        before = time.perf_counter()
        await asyncio.sleep(tick)
        into.lags.append(max(0.0, time.perf_counter() - before - tick))
        samples += 1
        if samples % 10 == 0:
            rss = server.rss_mb()
            if rss is not None:
                into.rss_mb.append(rss)


# -- the whole run -------------------------------------------------------------------------------


@dataclass
class Outcome:
    """Everything the report says."""

    args: argparse.Namespace
    samples: list[Sample]
    setup_s: float
    elapsed_s: float
    client_cpu_s: float
    server_cpu_s: float | None
    peak_rss_mb: float | None
    peak_source: str
    end_rss_mb: float | None
    lags: list[float]
    versions: int
    comments: int
    cache: str
    load_start: float
    load_end: float
    database: str
    server_errors: str = ""


def _cache_state(db_url: str, ws: int) -> str:
    """What the results table holds after the run, per kind of result: which results the
    server cached."""
    from sqlalchemy import func, select

    from orglens.web.db import engine_for, reading
    from orglens.web.tables import Result, Version

    engine = engine_for(db_url)
    try:
        with reading(engine) as db:
            versions = db.scalar(select(func.count()).where(Version.workspace_id == ws)) or 0
            keys = db.scalars(select(Result.key).join(Version).where(Version.workspace_id == ws))
            kinds: dict[str, int] = {}
            for key in keys:
                kinds[key.split(":", 1)[0]] = kinds.get(key.split(":", 1)[0], 0) + 1
    finally:
        engine.dispose()
    held = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items())) or "nothing"
    module = "present" if find_spec("orglens.web.cache") else "absent"
    return (
        f"orglens/web/cache.py {module}; after the run the results table holds, for the "
        f"workspace's {versions} versions: {held}"
    )


@dataclass
class Timed:
    """The run phase's clocks: wall time, and the CPU time of the client and the server."""

    setup_s: float = 0.0
    elapsed_s: float = 0.0
    client_cpu_s: float = 0.0
    server_cpu_s: float | None = None


async def drive(server: Server, args: argparse.Namespace) -> tuple[Run, Watch, Timed]:
    """Prepare, then run the users; what they measured, and the run phase's clocks."""
    clients = [new_client(server.base, args.timeout) for _ in range(args.users)]
    timed, observed, stop = Timed(), Watch(), asyncio.Event()
    try:
        started = time.perf_counter()
        run = await prepare(clients, args.uploads)
        timed.setup_s = time.perf_counter() - started
        watcher = asyncio.create_task(watch(server, observed, stop))
        server_before, client_before = server.cpu_seconds(), time.process_time()
        begin = time.perf_counter()
        run.deadline, run.cycle = begin + args.seconds, args.cycle
        users = [user(run, c, i, args.think, args.seed) for i, c in enumerate(clients)]
        await asyncio.gather(*users)
        timed.elapsed_s = time.perf_counter() - begin
        timed.client_cpu_s = time.process_time() - client_before
        server_after = server.cpu_seconds()
        if server_before is not None and server_after is not None:
            timed.server_cpu_s = server_after - server_before
        stop.set()
        await watcher
        return run, observed, timed
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))


def measure(args: argparse.Namespace) -> Outcome:
    load_start = os.getloadavg()[0]
    with (
        tempfile.TemporaryDirectory(prefix="orglens-load-") as scratch,
        database(args) as db_url,
    ):
        data = Path(scratch) / "data"
        with running_server(data, db_url, args.profile, args.workers) as server:
            run, observed, timed = asyncio.run(drive(server, args))
            hwm, end_rss = server.status_kb("VmHWM"), server.rss_mb()
        url = db_url or f"sqlite:///{data / 'orglens.db'}"
        cache = _cache_state(url, run.ws)
        server_errors = first_traceback(server.log)
    peak: float | None
    if hwm is not None:
        peak, source = hwm / 1024, "VmHWM, whole life of each process, summed"
    else:
        peak = max(observed.rss_mb, default=None)
        source = "RSS sampled every 0.5 s"
    kind = "PostgreSQL (throwaway, tests/web/pgserver.py)" if args.postgresql else "SQLite (WAL)"
    return Outcome(
        args=args,
        samples=run.samples,
        setup_s=timed.setup_s,
        elapsed_s=timed.elapsed_s,
        client_cpu_s=timed.client_cpu_s,
        server_cpu_s=timed.server_cpu_s,
        peak_rss_mb=peak,
        peak_source=source,
        end_rss_mb=end_rss,
        lags=observed.lags,
        versions=run.version,
        comments=sum(len(ids) for ids in run.comments.values()),
        cache=cache,
        load_start=load_start,
        load_end=os.getloadavg()[0],
        database=kind if args.db is None else "the --db URL",
        server_errors=server_errors,
    )


def _processes(workers: int) -> str:
    return "one process" if workers == 1 else f"--workers {workers}: {workers} processes"


def first_traceback(log: Path) -> str:
    """The server log's first traceback (``""`` when it has none): why a request answered 500."""
    lines = log.read_text(errors="replace").splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("Traceback")]
    if not starts:
        return ""
    end = starts[0] + 1
    while end < len(lines) and (lines[end].startswith(" ") or lines[end - 1].startswith(" ")):
        end += 1
    return "\n".join(lines[starts[0] : end + 1])


# -- the report ----------------------------------------------------------------------------------


def verdicts(rows: list[Row], samples: Sequence[Sample]) -> list[str]:
    """The issue's targets, each met or missed, with the figure."""
    by = {row.label: row for row in rows}
    pages, warm = by["**all pages**"], by["**all pages, warm only**"]
    errors = sum(1 for s in samples if s.error is not None)

    def said(ok: bool) -> str:
        return "met" if ok else "**MISSED**"

    return [
        f"- No errors: {said(errors == 0)} ({errors} of {len(samples):,} requests).",
        f"- p99 under {TARGET_P99_S:.0f} s for pages, first views of a version included: "
        f"{said(pages.p99 < TARGET_P99_S)} (p99 {pages.p99:.2f} s).",
        f"- The same, warm pages only: {said(warm.p99 < TARGET_P99_S)} (p99 {warm.p99:.2f} s).",
        "- Uploads are reported apart (no target); "
        f"p99 {by[UPLOAD].p99:.2f} s over {by[UPLOAD].count} uploads."
        if by[UPLOAD].count
        else "- No uploads in this run.",
    ]


def report(outcome: Outcome) -> str:
    """The markdown section: context, the table, throughput, memory, client, verdicts."""
    args, samples = outcome.args, outcome.samples
    rows = rows_of(samples)
    done = len(samples)
    lag99 = percentile(outcome.lags, 99)
    server_cpu = (
        "unknown"
        if outcome.server_cpu_s is None
        else f"{outcome.server_cpu_s:.1f} s ({outcome.server_cpu_s / outcome.elapsed_s:.2f} cores)"
    )
    peak = "unknown" if outcome.peak_rss_mb is None else f"{outcome.peak_rss_mb:,.0f} MB"
    end = "unknown" if outcome.end_rss_mb is None else f"{outcome.end_rss_mb:,.0f} MB"
    command = "python bench/load.py " + shlex.join(args.argv)
    uploads = (
        f"every {args.uploads}th action an upload of the demo as a new version"
        if args.uploads
        else "no uploads"
    )
    lines = [
        f"## {date.today().isoformat()} — load: {args.users} users on the web workspace "
        "(bench/load.py)",
        "",
        f"`{command}` — Python {platform.python_version()}, {platform.platform()}, "
        f"{os.cpu_count()} cores (shared with other sessions), load average (1 min) "
        f"{outcome.load_start:.2f} at the start, {outcome.load_end:.2f} at the end. "
        f"Server: `orglens serve` (uvicorn, {_processes(args.workers)}) on loopback, "
        f"{outcome.database}"
        f"{', under cProfile' if args.profile else ''}; results cache: {outcome.cache}.",
        "",
        f"Setup through the real routes ({outcome.setup_s:.1f} s): {args.users} sign-ups, one "
        "workspace, the demo uploaded, invitations by link accepted (role editor). Each user goes "
        f"round {' → '.join(args.cycle)} with a pause of "
        f"0–{2 * args.think:g} s (mean {args.think:g} s) between actions ('scenarios' is the "
        f"comparison); {uploads}. Run {outcome.elapsed_s:.1f} s ({args.seconds} s asked); "
        f"{outcome.versions} versions and {outcome.comments} comments at the end. Latencies "
        "in ms; *cold*: the first view of its kind of a new version, or one started before it "
        "answered.",
        "",
        "| request | count | errors | p50 | p95 | p99 | max |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *(row.cells() for row in rows),
        "",
        f"Throughput {done / outcome.elapsed_s:.1f} requests/s ({done:,} requests). Server CPU "
        f"{server_cpu}; peak RSS {peak} ({outcome.peak_source}), {end} at the end. Client "
        f"(asyncio + httpx, this process): {outcome.client_cpu_s:.1f} s CPU "
        f"({outcome.client_cpu_s / max(done, 1) * 1000:.1f} ms a request, "
        f"{outcome.client_cpu_s / outcome.elapsed_s:.2f} cores); its event loop woke up late by "
        f"{lag99 * 1000:.0f} ms at p99 (max {max(outcome.lags, default=0) * 1000:.0f} ms), "
        "which is in the latencies above.",
        "",
        *verdicts(rows, samples),
    ]
    errors: dict[str, int] = {}
    for sample in samples:
        if sample.error is not None:
            what = f"{sample.kind}: {sample.error}"
            errors[what] = errors.get(what, 0) + 1
    if errors:
        lines += ["", "Errors: " + ", ".join(f"{k} × {v}" for k, v in sorted(errors.items()))]
    if outcome.server_errors:
        lines += ["", "The server's first traceback:", "", "```", outcome.server_errors, "```"]
    return "\n".join(lines) + "\n"


def profile_summary(path: Path, top: int = 40) -> str:
    """Where the profiled server's threads spent their time: orglens's functions by cumulative
    time (the page handlers and what they call), then every function by its own time (waiting
    in ``epoll`` or on a lock included: the profile counts wall time per thread)."""
    import pstats

    out = io.StringIO()
    stats = pstats.Stats(str(path), stream=out)
    stats.sort_stats("cumulative").print_stats(r"orglens/web/|orglens/workspace|orglens/min", top)
    stats.sort_stats("tottime").print_stats(top // 2)
    return out.getvalue()


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between actions")
    parser.add_argument(
        "--uploads", type=int, default=500, help="every Nth action is an upload (0: none)"
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--db", help="database URL (default: SQLite in the data folder)")
    where.add_argument("--postgresql", action="store_true", help="a throwaway PostgreSQL")
    parser.add_argument(
        "--cycle",
        default=",".join(CYCLE),
        help="the kinds of page each user goes round, comma-separated (default: all)",
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="per request, seconds")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", type=Path, help="cProfile the server into this file")
    parser.add_argument(
        "--workers", type=int, default=1, help="server processes (orglens serve --workers)"
    )
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    if args.users < 1:
        parser.error("--users must be at least 1")
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.profile is not None and args.workers > 1:
        parser.error("--profile profiles one server process: leave out --workers")
    named = set(args.cycle.split(","))
    if not named or not named <= set(CYCLE):
        parser.error(f"--cycle: name some of {', '.join(CYCLE)}")
    args.cycle = tuple(kind for kind in CYCLE if kind in named)
    return args


def main(argv: Sequence[str] | None = None) -> Outcome:
    args = parse(argv)
    if args.profile is not None:
        args.profile = args.profile.resolve()
    outcome = measure(args)
    text = report(outcome)
    print(text)
    if args.profile is not None:
        print(profile_summary(args.profile))
    if args.record:
        with RESULTS.open("a", encoding="utf-8") as results:
            results.write("\n" + text)
    return outcome


if __name__ == "__main__":
    main()
