"""The results of a version, cached: in the database for good, and its opened workspace in
memory for a while.

:func:`cached` is get-or-compute on the ``results`` table: a result of a version under its key
(:func:`orglens.web.results.cache_key`) is computed once, stored as JSON and read back by every
later request, in every process. A computation that fails (a user's error included) stores
nothing. Two requests that miss the same key compute it once (the second waits for the first):
in one process by a lock per key, and across the server's processes (``orglens serve
--workers``) by :func:`version_lock`, an exclusive ``flock`` per version on a file in
``DATA/locks`` (without it, or where there is no ``flock``, two processes may both compute a
result, and the second to store it reads the first one's row instead of failing on the unique
constraint).

:func:`applicable` opens a version with the scenarios written in the browser that apply to it
(those that do not are left out, with their problems) and keeps the opened
:class:`~orglens.workspace.Workspace` in a small in-process LRU (:data:`KEPT_WORKSPACES`), so
that the dashboard, the comparison and the report of one version, in either language and for
either role, share one analysis. Measured on the demo (147 people, 39,505 events): the first
dashboard takes 0.4 s; the next result of the same version (the other language, or cost
hidden) 0.02 s from the kept workspace instead of 0.4 s, its report 0.12 s instead of 0.5 s;
a result read back from the database 3 ms. A workspace is not safe for two threads at once:
the block of :func:`applicable` holds it alone (so never call :func:`cached` inside that
block: a thread computing the same key would wait for it while holding the key).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from orglens.errors import InvalidWorkspace, Problem, UsageError
from orglens.web import results
from orglens.web.config import WebConfig
from orglens.web.db import reading, transaction, utcnow
from orglens.web.render import to_json
from orglens.web.results_version import scenario_file
from orglens.web.tables import Result, Version
from orglens.workspace import Workspace

__all__ = [
    "KEPT_WORKSPACES",
    "LOCK_SLOTS",
    "Applicable",
    "applicable",
    "cached",
    "computed",
    "version_lock",
]

#: How many opened workspaces a server process keeps (each holds its event log once read).
KEPT_WORKSPACES = 4
#: How many lock files :func:`version_lock` spreads the versions over (``version % slots``:
#: a fixed set of files, none left behind per version; two versions sharing a slot only
#: wait for each other).
LOCK_SLOTS = 64

try:
    import fcntl
except ImportError:  # not on POSIX: one process per server (the default) needs no file lock
    fcntl = None  # type: ignore[assignment]


# -- results in the database -------------------------------------------------------------------


def _stored(engine: Engine, version_id: int, key: str) -> str | None:
    with reading(engine) as db:
        return db.scalars(
            select(Result.payload).where(Result.version_id == version_id, Result.key == key)
        ).first()


_GUARD = threading.Lock()
_BUSY: dict[tuple[int, str], list[Any]] = {}  # slot -> [lock, users]


@contextmanager
def _one_at_a_time(slot: tuple[int, str]) -> Iterator[None]:
    """This process's threads through the block one at a time for ``slot``."""
    with _GUARD:
        entry = _BUSY.setdefault(slot, [threading.Lock(), 0])
        entry[1] += 1
    try:
        with entry[0]:
            yield
    finally:
        with _GUARD:
            entry[1] -= 1
            if entry[1] == 0:
                del _BUSY[slot]


_HELD = threading.local()  # .versions: the versions whose lock this thread holds


@contextmanager
def version_lock(folder: Path | None, version_id: int) -> Iterator[None]:
    """Across processes (and threads), one at a time for version ``version_id``: an exclusive
    ``flock`` on ``folder/version-<slot>.lock``, held to the end of the block. A thread that
    holds it already goes through (nested blocks); with ``folder`` ``None``, or without
    ``flock``, the block runs unguarded."""
    held: set[int] = _HELD.__dict__.setdefault("versions", set())
    if folder is None or fcntl is None or version_id in held:
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"version-{version_id % LOCK_SLOTS}.lock").open("ab") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        held.add(version_id)
        try:
            yield
        finally:
            held.discard(version_id)
            fcntl.flock(handle, fcntl.LOCK_UN)


def cached(
    engine: Engine,
    version_id: int,
    key: str,
    compute: Callable[[], Any],
    *,
    locks: Path | None = None,
) -> Any:
    """The result of version ``version_id`` under ``key``: read from the ``results`` table, or
    computed by ``compute()`` (JSON-ready data) and stored there. What is returned has been
    through JSON (times as ISO text, tuples as lists), whether it was stored now or before.
    ``locks``: the folder of :func:`version_lock`'s files, so that the server's processes
    compute a version's results one at a time (and each result once).

    Raises
    ------
    Exception
        Whatever ``compute`` raises; nothing is stored then.
    """
    found = _stored(engine, version_id, key)
    if found is None:
        # The version's lock first, then the key's: the order of every thread.
        with version_lock(locks, version_id), _one_at_a_time((version_id, key)):
            found = _stored(engine, version_id, key)
            if found is None:
                found = to_json(compute())
                try:
                    with transaction(engine) as db:
                        db.add(
                            Result(
                                version_id=version_id, key=key, payload=found, created_at=utcnow()
                            )
                        )
                except IntegrityError:
                    # Another process stored it first (or the version is gone): keep theirs.
                    found = _stored(engine, version_id, key) or found
    return json.loads(found)


# -- opened workspaces in memory ---------------------------------------------------------------


@dataclass
class _Kept:
    workspace: Workspace
    lock: threading.RLock = field(default_factory=threading.RLock)


_KEPT: OrderedDict[tuple[str, str, str], _Kept] = OrderedDict()
_KEPT_GUARD = threading.Lock()


def _entry(folder: Path, scenarios: Mapping[str, str], tag: str, scratch: Path) -> _Kept:
    """The kept workspace of ``folder`` with ``scenarios``, opened now if it is not kept."""
    key = (str(folder), tag, results.cache_key("workspace", "en", False, scenarios))
    with _KEPT_GUARD:
        kept = _KEPT.get(key)
        if kept is not None:
            _KEPT.move_to_end(key)
            return kept
    fresh = _Kept(results.open_version(folder, scenarios, scratch=scratch))
    with _KEPT_GUARD:
        kept = _KEPT.setdefault(key, fresh)
        _KEPT.move_to_end(key)
        while len(_KEPT) > KEPT_WORKSPACES:
            _KEPT.popitem(last=False)
    return kept


@dataclass(frozen=True)
class Applicable:
    """A version opened with the written scenarios that apply to it (``used``, by name);
    those that do not are ``left_out`` with their problems, as text."""

    workspace: Workspace
    used: tuple[str, ...]
    left_out: dict[str, list[str]]


def _blamed(problems: list[Problem], names: list[str]) -> dict[str, list[str]]:
    """The written scenarios the ``problems`` name, each with its problems; every one of
    ``names`` with all of them when they name none."""

    def text(problem: Problem) -> str:
        return str(problem) if problem.file else f"{problem.what} — {problem.fix}"

    found = {n: [text(p) for p in problems if p.file == scenario_file(n)] for n in names}
    named = {name: texts for name, texts in found.items() if texts}
    return named or {name: [text(p) for p in problems] for name in names}


@contextmanager
def applicable(
    config: WebConfig, version: Version, written: Mapping[str, str]
) -> Iterator[Applicable]:
    """``version`` opened with the ``written`` scenarios (``{name: YAML}``) that apply to it,
    kept for later requests; this thread's alone until the block ends.

    Raises
    ------
    InvalidWorkspace, UsageError
        When the version itself cannot be opened (its files changed on disk, or a release of
        orglens that reads them differently).
    """
    config.tmp_dir.mkdir(parents=True, exist_ok=True)
    folder = config.data_dir / version.folder
    pending, left_out = dict(written), dict[str, list[str]]()
    while True:
        try:
            kept = _entry(folder, pending, version.sha256, config.tmp_dir)
            break
        except (InvalidWorkspace, UsageError) as error:
            if not pending:
                raise
            blamed = _blamed(list(error.problems), list(pending))
        left_out |= blamed
        pending = {name: text for name, text in pending.items() if name not in blamed}
    with kept.lock:
        yield Applicable(kept.workspace, tuple(pending), left_out)


def computed(
    config: WebConfig,
    engine: Engine,
    version: Version,
    written: Mapping[str, str],
    key: str,
    make: Callable[[Applicable], Any],
) -> Any:
    """The result ``make(opened)`` of ``version`` with the ``written`` scenarios, cached under
    ``key`` (:func:`orglens.web.results.cache_key` of the same scenarios)."""

    def compute() -> Any:
        with applicable(config, version, written) as opened:
            return make(opened)

    return cached(engine, version.id, key, compute, locks=config.locks_dir)
