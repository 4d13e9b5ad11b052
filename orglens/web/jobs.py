"""Background jobs of the web workspace: ``optimize`` run by a small pool of worker threads.

A job is a row of ``jobs``. The page that starts it inserts it ``queued`` and hands its id to
the application's :class:`JobRunner`; a worker claims it (``running``), writes the solver's
progress into the row as it goes (``progress`` = seconds spent / time limit, and a message
with the best answer so far and its bound), and ends it ``done`` with its result (the JSON of
``orglens optimize``, e-mail addresses masked) or ``failed`` with a message a person can act
on. A ``done`` optimize also saves its proposal as the written scenario ``optimized``, unless
asked not to.

The workers are daemon threads: a server that stops (or is killed) leaves its unfinished jobs
``queued`` or ``running`` in the database, and :func:`fail_interrupted` marks them ``failed``
("interrupted by a restart") when the next server starts (:func:`orglens.web.prepare`) and,
when it is the only process serving the database, when it starts its runner. Each server
process runs the jobs started through it; with several (``orglens serve --workers N``), a
process's runner leaves the other processes' jobs alone, and the jobs of a process that dies
while the others go on stay ``running`` until the next start.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import yaml
from sqlalchemy import Engine, select, update
from starlette.applications import Starlette

from orglens.errors import InvalidWorkspace, Problem, UsageError
from orglens.i18n import check, number, t, using
from orglens.privacy import masked
from orglens.web.config import WebConfig
from orglens.web.db import reading, transaction, utcnow
from orglens.web.results import open_version
from orglens.web.tables import Job, Scenario, Version

__all__ = [
    "ACTIVE",
    "MAX_QUEUED",
    "MAX_TIME_LIMIT",
    "JobRunner",
    "OptimizeParams",
    "fail_interrupted",
    "run_job",
    "runner_for",
    "stop_runner",
]

log = logging.getLogger(__name__)

#: The statuses of a job not finished yet.
ACTIVE = ("queued", "running")
#: The longest an optimize may run, in seconds.
MAX_TIME_LIMIT = 300.0
#: Jobs waiting at most, over all workspaces (more are refused until some finish).
MAX_QUEUED = 20
#: The least time between two progress writes of one job, in seconds.
PROGRESS_EVERY_S = 0.5


@dataclass(frozen=True, kw_only=True)
class OptimizeParams:
    """What an optimize job was asked: the version it runs on, the constraints (sizes in
    people; ``None``: the workspace's ``settings.team_size``), the solver's time limit and
    seed, whether to save the proposal as the scenario ``optimized``, and the language of its
    messages (its starter's)."""

    version: int
    teams: int | None = None
    min_team: float | None = None
    max_team: float | None = None
    time_limit: float = 30.0
    seed: int = 0
    save: bool = True
    lang: str = "en"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OptimizeParams:
        """The parameters kept in a job's row (unknown keys ignored)."""
        known = set(cls.__dataclass_fields__)
        return cls(**{key: value for key, value in data.items() if key in known})


def _finish(job_id: int, status: str, message: str, result: dict[str, Any] | None = None) -> Any:
    values: dict[str, Any] = {"status": status, "message": message, "finished_at": utcnow()}
    if status == "done":
        values |= {"progress": 1.0, "result": result}
    return update(Job).where(Job.id == job_id, Job.status == "running").values(**values)


def _language(params: Mapping[str, Any]) -> str:
    lang = params.get("lang")
    return lang if isinstance(lang, str) and lang in ("en", "sv") else "en"


def fail_interrupted(engine: Engine) -> int:
    """Mark every job left ``queued`` or ``running`` (by a server that stopped) as ``failed``,
    "interrupted by a restart"; how many there were."""
    with transaction(engine) as db:
        left = db.scalars(select(Job).where(Job.status.in_(ACTIVE)).with_for_update()).all()
        for job in left:
            with using(_language(job.params)):
                job.message = t("web_scenarios.job_interrupted")
            job.status, job.finished_at = "failed", utcnow()
        return len(left)


class JobRunner:
    """``workers`` daemon threads running the jobs handed to :meth:`submit`, one at a time
    each, in the order they came."""

    def __init__(self, engine: Engine, config: WebConfig, workers: int = 1) -> None:
        self.engine = engine
        self.config = config
        self.workers = workers
        self._queue: queue.Queue[int | None] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._stopped = False

    def submit(self, job_id: int) -> None:
        """Run the queued job ``job_id`` when a worker is free (the workers start with the
        first job)."""
        with self._lock:
            if self._stopped:
                raise RuntimeError("the job runner has stopped")
            if not self._threads:
                for index in range(self.workers):
                    worker = threading.Thread(
                        target=self._work, name=f"orglens-job-{index + 1}", daemon=True
                    )
                    worker.start()
                    self._threads.append(worker)
        self._queue.put(job_id)

    def stop(self) -> None:
        """Take no more jobs; a worker ends after its current job (jobs still waiting stay
        ``queued``, for the next start to mark interrupted)."""
        with self._lock:
            self._stopped = True
            for _ in self._threads:
                self._queue.put(None)

    def _work(self) -> None:
        while True:
            job_id = self._queue.get()
            if job_id is None or self._stopped:
                return
            try:
                run_job(self.engine, self.config, job_id)
            except Exception:  # the worker must live on: the job's row says what happened
                log.exception("job %s failed", job_id)


_RUNNERS = threading.Lock()


def runner_for(app: Starlette) -> JobRunner:
    """The job runner of ``app``, started on first use: when ``app`` is the only process of
    its database, jobs an earlier server left unfinished are marked failed first
    (:func:`fail_interrupted`; with several, the others' jobs are theirs)."""
    with _RUNNERS:
        found: JobRunner | None = getattr(app.state, "jobs", None)
        if found is None:
            if app.state.config.processes == 1:
                fail_interrupted(app.state.engine)
            found = JobRunner(app.state.engine, app.state.config)
            app.state.jobs = found
        return found


def stop_runner(app: Starlette) -> None:
    """Stop the job runner of ``app``, if it has one."""
    with _RUNNERS:
        found: JobRunner | None = getattr(app.state, "jobs", None)
        if found is not None:
            found.stop()
            app.state.jobs = None


def _problems_text(problems: list[Problem]) -> str:
    return "\n".join(
        str(problem) if problem.file else f"{problem.what} — {problem.fix}" for problem in problems
    )


def run_job(engine: Engine, config: WebConfig, job_id: int) -> None:
    """Run the queued job ``job_id`` to its end (nothing when it is not queued any more)."""
    with transaction(engine) as db:
        job = db.get(Job, job_id)
        if job is None or job.status != "queued":
            return
        lang = _language(job.params)
        with using(lang):
            started = t("web_scenarios.job_reading")
        claimed = db.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "queued")
            .values(status="running", progress=0.0, message=started)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            return
        params, workspace_id, created_by = dict(job.params), job.workspace_id, job.created_by
    with using(lang):
        try:
            message, result, yaml_text = _optimize(engine, config, job_id, workspace_id, params)
        except (UsageError, InvalidWorkspace) as error:
            with transaction(engine) as db:
                db.execute(_finish(job_id, "failed", _problems_text(list(error.problems))))
            return
        except Exception:
            log.exception("optimize job %s failed", job_id)
            with transaction(engine) as db:
                db.execute(_finish(job_id, "failed", t("web.error.server")))
            return
    with transaction(engine) as db:
        ended = db.execute(_finish(job_id, "done", message, result))
        # a job deleted meanwhile (with its workspace) saves nothing
        if ended.rowcount == 1 and yaml_text is not None:  # type: ignore[attr-defined]
            _save_scenario(db, workspace_id, created_by, result["saved_as"], yaml_text)


def _save_scenario(db: Any, workspace_id: int, user_id: int, name: str, text: str) -> None:
    found = db.scalars(
        select(Scenario)
        .where(Scenario.workspace_id == workspace_id, Scenario.name == name)
        .with_for_update()
    ).first()
    now = utcnow()
    if found is None:
        db.add(
            Scenario(
                workspace_id=workspace_id,
                name=name,
                yaml=text,
                created_by=user_id,
                updated_by=user_id,
                updated_at=now,
            )
        )
    else:
        found.yaml, found.updated_by, found.updated_at = text, user_id, now


def _optimize(
    engine: Engine, config: WebConfig, job_id: int, workspace_id: int, raw: Mapping[str, Any]
) -> tuple[str, dict[str, Any], str | None]:
    """Run the optimizer; the done message, the result and the scenario's YAML (``None``: not
    to be saved)."""
    from orglens.io.scenarios import dump_scenario
    from orglens.optimize.organization import OPTIMIZED, TeamOptions

    params = OptimizeParams.from_dict(raw)
    lang = check(params.lang)
    with reading(engine) as db:
        version = db.scalars(
            select(Version).where(
                Version.workspace_id == workspace_id, Version.number == params.version
            )
        ).first()
    if version is None:
        raise UsageError(
            Problem(t("web_scenarios.job_version_gone"), t("web_scenarios.job_version_fix"))
        )
    config.tmp_dir.mkdir(parents=True, exist_ok=True)
    workspace = open_version(config.data_dir / version.folder, scratch=config.tmp_dir)
    options = TeamOptions(teams=params.teams, min_team=params.min_team, max_team=params.max_team)
    last = [0.0]

    def progress(seconds: float, best: float, bound: float) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY_S:
            return
        last[0] = now
        share = min(max(seconds / params.time_limit, 0.0), 0.99)
        with using(lang):
            text = t("web_scenarios.job_progress", best=number(best), bound=number(bound))
        with transaction(engine) as db:
            db.execute(
                update(Job)
                .where(Job.id == job_id, Job.status == "running")
                .values(progress=share, message=text)
            )

    found = workspace.optimize(
        options, time_limit=params.time_limit, seed=params.seed, progress=progress
    )
    scenario = found.scenario(OPTIMIZED)
    saved = OPTIMIZED if params.save else None
    names = found.names
    result: dict[str, Any] = masked(
        found.to_dict()
        | {
            "members": {
                team: [names.get(person, person) for person in people]
                for team, people in found.teams.items()
            },
            "saved_as": saved,
            "version": params.version,
        }
    )
    text = None
    if saved is not None:
        text = yaml.safe_dump(dump_scenario(scenario), sort_keys=False, allow_unicode=True)
    message = t("web_scenarios.job_done", teams=len(found.teams))
    return message, result, text
