"""A new version's results computed right after its upload, before anyone asks for them.

The first view of a version's dashboard or comparison computes it (about a second of one core
on the demo); every later view reads the stored result (:mod:`orglens.web.cache`). An upload
hands its version to this process's :class:`Warmer`: one daemon thread that computes the
dashboard and the comparison as the workspace's members will ask for them (each member's
language, people's cost hidden for the role that may not see it), from one opened workspace,
each result under the version's lock (:func:`~orglens.web.cache.version_lock`: no other
process or thread computes it meanwhile). A visitor who asks for a result being warmed waits
for it and reads what was stored, and a visitor who comes after the warming pays nothing for
the first view. (Measured on the demo under 50 users: a version costs about a second of one
core, so visitors who ask within that second still wait for it.)

What goes wrong while warming (a version that a later release reads differently, a written
scenario that no longer applies) is logged and left to the pages, which say it to the person
who asks.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import Counter
from collections.abc import Mapping

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session as DbSession
from starlette.applications import Starlette

from orglens.web.config import WebConfig
from orglens.web.db import reading
from orglens.web.pages_lenses import dashboard_result, written_of
from orglens.web.pages_scenarios_shared import result_of
from orglens.web.roles import Action, Role, allowed
from orglens.web.tables import Member, User, Version

__all__ = ["Warmer", "audience", "warm", "warmer_for"]

log = logging.getLogger(__name__)


def audience(db: DbSession, workspace_id: int) -> list[tuple[str, bool]]:
    """How the members of ``workspace_id`` see its pages: (language, people's cost hidden),
    each once, the most common first."""
    rows = db.execute(
        select(User.lang, Member.role)
        .join(Member, Member.user_id == User.id)
        .where(Member.workspace_id == workspace_id)
    )
    seen = Counter((lang, not allowed(Role(role), Action.view_cost)) for lang, role in rows)
    return sorted(seen, key=lambda way: (-seen[way], way))


def warm(config: WebConfig, engine: Engine, version_id: int) -> None:
    """Compute and store version ``version_id``'s dashboard and comparison as its workspace's
    members see them (:func:`audience`), with the scenarios written for it now."""
    with reading(engine) as db:
        version = db.get(Version, version_id)
        if version is None:
            return  # gone before its turn came
        written: Mapping[str, str] = written_of(db, version.workspace_id)
        ways = audience(db, version.workspace_id)
    # Each result under the version's lock on its own (:func:`cache.cached`): a visitor waits
    # for the one they asked for, not for the whole warming.
    for lang, hidden in ways:
        dashboard_result(config, engine, version, written, lang, hidden)
        result_of(config, engine, version, written, "comparison", lang, hidden)


class Warmer:
    """One daemon thread warming the versions handed to :meth:`submit`, in order."""

    def __init__(self, config: WebConfig, engine: Engine) -> None:
        self.config = config
        self.engine = engine
        self._queue: queue.Queue[int | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, version_id: int) -> None:
        """Warm ``version_id`` when the versions handed in before it are done."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="orglens-warm", daemon=True)
                self._thread.start()
        self._queue.put(version_id)

    def join(self) -> None:
        """Wait until every version handed in so far is warm (or failed to be)."""
        self._queue.join()

    def stop(self) -> None:
        """End the thread after the version it is warming (the others stay cold)."""
        self._queue.put(None)

    def _work(self) -> None:
        while True:
            version_id = self._queue.get()
            try:
                if version_id is None:
                    return
                warm(self.config, self.engine, version_id)
            except Exception:  # the pages will compute it, and say what is wrong
                log.exception("warming version %s failed", version_id)
            finally:
                self._queue.task_done()


_WARMERS = threading.Lock()


def warmer_for(app: Starlette) -> Warmer | None:
    """The warmer of ``app`` (started on first use), or ``None`` when its configuration says
    not to warm (:attr:`WebConfig.warm_after_upload`)."""
    config: WebConfig = app.state.config
    if not config.warm_after_upload:
        return None
    with _WARMERS:
        found: Warmer | None = getattr(app.state, "warmer", None)
        if found is None:
            found = app.state.warmer = Warmer(config, app.state.engine)
        return found
