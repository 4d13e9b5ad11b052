"""The library object behind every front end: a workspace opened once, then asked questions.

:meth:`Workspace.open` reads the files of a workspace (a folder, or one ``.xlsx`` workbook) and
the scenarios written beside them, checking each scenario by applying it. The event log that
``events:`` in ``orglens.yaml`` names is read the first time something needs it, onto one
engine, into one :class:`~orglens.mining.EventLog`: its events are sorted once, and that one
sorted pass serves the process lens, the scorecard's re-mapped history and every mining
analysis. Each scenario is applied once, and the organization it designs is reused by
:meth:`Workspace.analysis`, :meth:`Workspace.compare` and the advice.

The command line, the report, the notebook and the web workspace only call this object (and the
public API under it); none of them computes a figure of its own.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orglens.display import Displayed
from orglens.errors import InvalidWorkspace, Problem, UsageError
from orglens.i18n import check, language, t, using
from orglens.io import read_workspace
from orglens.lenses import Analysis, analyze, observed_warnings, resolve_level
from orglens.lenses.resources import resource_units
from orglens.model import AdviceSettings, DecisionSettings, Organization, Scenario

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped]

    from orglens.advice import Advice, Recommendation
    from orglens.mining import EventLog, Mined
    from orglens.optimize.organization import Optimized, TeamOptions
    from orglens.scenarios import ScenarioScore, Scorecard

__all__ = ["Comparison", "Workspace", "validate"]

#: A progress callback: ``(bytes done, bytes in all)``.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Comparison(Displayed):
    """Every design of the debate scored on the same data, and the advice that follows.

    ``scorecard`` holds each scenario's metrics, the scenarios that dominate it, its warnings
    and (not serialized) the organization it designs; ``advice`` is every rule of the debate
    run on today's analysis and that scorecard; ``recommendation`` the bottom line: the
    Pareto front, the ranked designs, the recommended one and what would flip it.
    """

    scorecard: Scorecard
    advice: Advice
    recommendation: Recommendation
    #: What reading today's data left out or inferred (the event log's resources that match
    #: nobody, inferred end activities): shown first among the warnings.
    data_warnings: tuple[str, ...] = ()
    #: ``{name: why}`` for the built-in designs that do not apply to this workspace.
    skipped_designs: Mapping[str, str] = field(default_factory=dict)
    #: Designs of the debate left out for want of data (pods without a journey or segments).
    design_warnings: tuple[str, ...] = ()
    #: The language of the advice and recommendation texts (a notebook shows it in it).
    lang: str = "en"

    @property
    def level(self) -> int:
        """The level of the unit tree at which cross-unit measures count."""
        return self.scorecard.level

    @property
    def scenarios(self) -> tuple[ScenarioScore, ...]:
        """The scored scenarios, in the order they are shown."""
        return self.scorecard.scenarios

    def scenario(self, name: str) -> ScenarioScore:
        """The scenario called ``name``; :class:`UsageError` names the others when none is."""
        return self.scorecard.scenario(name)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``orglens compare``: ``{"recommendation", "level", "scenarios",
        "metrics", "warnings", "advice"}`` (see the README for each key)."""
        findings: list[dict[str, Any]] = self.advice.to_dict()["findings"]
        scored = self.scorecard.to_dict()
        scored["warnings"] = [*self.data_warnings, *self.design_warnings, *scored["warnings"]]
        return (
            {"recommendation": self.recommendation.to_dict()}
            | scored
            | {"skipped_designs": dict(self.skipped_designs), "advice": findings}
        )


class Workspace(Displayed):
    """A workspace opened once: its organization, scenarios and event log.

    Use :meth:`open`; the constructor is not part of the API.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "people.csv").write_text(
    ...     "id,manager_id,unit\\nceo,,Management\\ns1,ceo,Sales\\nm1,ceo,Marketing\\n")
    >>> ws = Workspace.open(folder)
    >>> ws.analysis().hr.layers
    2
    >>> [score.name for score in ws.compare().scenarios]
    ['status_quo', 'ceo_forum', 'merge_sales_marketing']
    >>> ws.analysis("merge_sales_marketing").hr.layers
    3
    """

    def __init__(
        self,
        path: Path,
        organization: Organization,
        written: tuple[Scenario, ...],
        advice_settings: AdviceSettings,
        decision_settings: DecisionSettings,
        *,
        engine: str | object | None,
        level: int | None,
    ) -> None:
        self.path = path
        self.organization = organization
        self.advice_settings = advice_settings
        self.decision_settings = decision_settings
        self.level = resolve_level(organization, level)
        self._written = written
        self._engine = engine
        self._events: EventLog | None = None
        self._event_warnings: tuple[str, ...] = ()
        self._designed: dict[str, Organization] = {}
        self._analyses: dict[str | None, Analysis] = {}
        self._comparisons: dict[str, Comparison] = {}

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        /,
        *,
        engine: str | object | None = None,
        level: int | None = None,
        allow_outside: bool = False,
    ) -> Workspace:
        """Read the workspace at ``path`` and check every scenario written in it.

        Parameters
        ----------
        path
            A folder with ``people.csv`` (and optionally ``orglens.yaml`` and the other CSV
            files, ``scenarios/*.yaml``), or one ``.xlsx`` workbook.
        engine
            Where the event log is analysed: ``None`` for in-process DuckDB, an Ibis URL
            (``"duckdb://"``, ``"pyspark://"``...), an Ibis backend or a Spark session.
        level
            Depth of the unit tree at which cross-unit measures count (``None``:
            ``settings.level``, 1 = departments).
        allow_outside
            Whether ``events: path:`` and the workspace's files may lead outside its folder
            (absolute paths, ``../``, links); refused by default.

        Raises
        ------
        InvalidWorkspace
            Carrying every problem found, in the files and in the written scenarios (each
            scenario is applied once; a unit or person it names that does not exist is a
            problem at the line it was written on).
        UsageError
            When ``level`` is negative.
        """
        files = read_workspace(path, allow_outside=allow_outside)
        workspace = cls(
            Path(path),
            files.organization,
            files.scenarios,
            files.advice,
            files.decision,
            engine=engine,
            level=level,
        )
        workspace._apply_written()
        return workspace

    @staticmethod
    def validate(path: str | os.PathLike[str], /, *, allow_outside: bool = False) -> list[Problem]:
        """Every problem of the workspace at ``path`` (see :func:`validate`)."""
        return validate(path, allow_outside=allow_outside)

    # -- what the workspace holds -------------------------------------------------------------

    @cached_property
    def scenarios(self) -> tuple[Scenario, ...]:
        """The built-in designs that apply to the organization, then the written ones (a written
        scenario with a built-in's name takes its place), in the order they are compared."""
        from orglens.scenarios import all_scenarios

        return all_scenarios(self.organization, self._written)

    def scenario(self, name: str) -> Scenario:
        """The scenario called ``name``; :class:`UsageError` names the others when none is."""
        for scenario in self.scenarios:
            if scenario.name == name:
                return scenario
        names = ", ".join(scenario.name for scenario in self.scenarios)
        raise UsageError(
            Problem(f"no scenario named {name!r}", f"use one of: {names}", "--scenario")
        )

    def designed(self, name: str) -> Organization:
        """The organization the scenario ``name`` designs (applied once, then kept)."""
        if name not in self._designed:
            from orglens.scenarios import apply

            self._designed[name] = apply(self.organization, self.scenario(name))
        return self._designed[name]

    @property
    def events(self) -> EventLog | None:
        """The event log ``events:`` names, read once onto the engine (``None`` without one).

        Its events are sorted once; every analysis of this workspace shares that pass.
        """
        return self.read_events()

    def read_events(self, progress: Progress | None = None) -> EventLog | None:
        """:attr:`events`, read now if not yet (``progress(bytes done, bytes in all)`` is
        called while the file is read)."""
        source = self.organization.events
        if source is None or self._events is not None:
            return self._events
        from orglens.io import read_log
        from orglens.io.eventlog import import_report
        from orglens.mining import EventLog

        name = Path(source.path).name

        def noted(events: pa.Table) -> pa.Table:
            # What reading left out or guessed (lifecycle, dates, ...) goes with every result;
            # a missing group column does not matter here: units come from the people.
            self._event_warnings = tuple(
                f"{name}: {warning}"
                for warning in import_report(events).warnings
                if not warning.startswith("no group column found")
            )
            return events

        table = read_log(
            source.path,
            self._engine,
            progress=progress,
            on_read=noted,
            case=source.case,
            activity=source.activity,
            timestamp=source.timestamp,
            resource=source.resource,
            group=source.group,
            lifecycle=source.lifecycle,
        )
        # The workspace's analyses read the activity and the resource (units come from the
        # people, not from the log's group column): only those two are coded in the pass.
        self._events = EventLog(table, columns=("activity", "resource"))
        return self._events

    # -- questions ----------------------------------------------------------------------------

    def analysis(self, scenario: str | None = None) -> Analysis:
        """Today's organization (or the one ``scenario`` designs) through the four lenses.

        With an event log, the process lens shows the observed journey, the history mapped to
        the people's units in that organization.
        """
        if scenario not in self._analyses:
            org = self.organization if scenario is None else self.designed(scenario)
            found = analyze(org, level=self.level, events=self.events)
            if self._event_warnings:
                found = replace(found, warnings=(*found.warnings, *self._event_warnings))
            self._analyses[scenario] = found
        return self._analyses[scenario]

    def compare(self, *, lang: str | None = None) -> Comparison:
        """Every scenario scored side by side on the same data, with the advice of the debate.

        Each scenario is applied once (its organization is kept for :meth:`analysis` and the
        advice); with an event log, the history is re-mapped to each scenario's units from the
        workspace's one sorted pass. ``lang`` (``"en"`` or ``"sv"``; the current language of
        :mod:`orglens.i18n` by default) is the language of the advice and recommendation texts:
        the scores are computed once for every language.
        """
        lang = check(lang or language())
        if lang not in self._comparisons:
            with using(lang):
                self._comparisons[lang] = self._advised()
        return self._comparisons[lang]

    @cached_property
    def _scored(self) -> tuple[Scorecard, dict[str, Organization]]:
        from orglens.scenarios import History, compare

        designed = {scenario.name: self.designed(scenario.name) for scenario in self.scenarios}
        events, observed = self.events, self.analysis().process.observed
        history = (
            None
            if events is None
            else History.read(
                events,
                self.organization,
                level=self.level,
                today=None if observed is None else observed.handoffs,
            )
        )
        scorecard = compare(
            self.organization,
            scenarios=self.scenarios,
            level=self.level,
            events=events,
            designed=designed,
            history=history,
            decision=self.decision_settings,
        )
        return scorecard, designed

    def _advised(self) -> Comparison:
        # Loaded here: `analyze` needs neither the scorecard nor the advice (0.1 s of imports).
        from orglens.advice import advise, recommend, threshold_flips
        from orglens.scenarios import JOURNEY_PODS, SEGMENT_PODS, departments, skipped_designs

        scorecard, designed = self._scored
        observed = self.analysis().process.observed
        advice = advise(
            self.organization,
            self.analysis(),
            scorecard,
            settings=self.advice_settings,
            designed=self._builtin_designs(designed),
        )
        skipped = skipped_designs(self.organization)
        recommendation = recommend(
            scorecard,
            settings=self.decision_settings,
            threshold_flips=threshold_flips(advice.findings),
        )
        return Comparison(
            scorecard,
            advice,
            recommendation,
            data_warnings=(
                *self._event_warnings,
                *(() if observed is None else observed_warnings(observed)),
            ),
            skipped_designs=skipped,
            design_warnings=tuple(
                t("designs.not_compared", name=name, why=skipped[name])
                for name in (JOURNEY_PODS, SEGMENT_PODS)
                if name in skipped and {"sales", "marketing"} <= set(departments(self.organization))
            ),
            lang=language(),
        )

    def _builtin_designs(self, designed: Mapping[str, Organization]) -> dict[str, Organization]:
        """The designed organizations of the built-in designs the user did not rewrite."""
        from orglens.scenarios import BUILTIN_NAMES, builtin_scenarios

        builtin = {scenario.name: scenario for scenario in builtin_scenarios(self.organization)}
        return {
            name: organization
            for name, organization in designed.items()
            if name in BUILTIN_NAMES and builtin.get(name) == self.scenario(name)
        }

    def mine(
        self,
        what: str | Sequence[str],
        /,
        *,
        beta: float = 0.0,
        unit: str | Mapping[str, str] | None = None,
        end_activities: Sequence[str] | None = None,
        step: Callable[[str], None] | None = None,
    ) -> Mined:
        """Mine the workspace's event log (``dfg``, ``handover``, ``unit-handoffs``...).

        ``unit`` defaults to the unit of each event's person at the workspace's level (people
        matched by id, name or e-mail); give ``"group"`` to use the log's group column.
        ``end_activities`` defaults to those of ``events:`` in ``orglens.yaml``.

        Raises
        ------
        UsageError
            When the workspace names no event log, or ``what`` names an unknown analysis.
        """
        from orglens.mining import mine

        events = self.events
        if events is None:
            raise UsageError(
                Problem(
                    "the workspace names no event log",
                    "add events: {path: LOG, ...} to orglens.yaml",
                    str(self.path),
                )
            )
        source = self.organization.events
        ends = end_activities
        if ends is None and source is not None:
            ends = source.end_activities
        return mine(
            events,
            what,
            beta=beta,
            unit=resource_units(self.organization, level=self.level) if unit is None else unit,
            end_activities=None if ends is None else tuple(ends),
            step=step,
        )

    def optimize(
        self,
        options: TeamOptions | None = None,
        /,
        *,
        time_limit: float = 30.0,
        seed: int = 0,
        exact: bool | None = None,
        progress: Callable[[float, float, float], None] | None = None,
    ) -> Optimized:
        """Propose the teams that keep the most work inside them (``orglens optimize``).

        The weight between two people is the handoffs between them in the event log (per year)
        and the declared coordination (see :mod:`orglens.optimize`); ``options`` are the
        constraints. The result's :meth:`~orglens.optimize.Optimized.scenario` is a scenario
        :meth:`compare` scores when written to ``scenarios/optimized.yaml``.
        """
        from orglens.mining import handover
        from orglens.optimize.organization import optimize

        events = self.events
        handovers = years = None
        if events is not None:
            handovers = handover(events)
            span = events.events.aggregate(
                low=events.events.timestamp.min(), high=events.events.timestamp.max()
            ).to_pyarrow()
            low, high = span["low"][0].as_py(), span["high"][0].as_py()
            days = (high - low).total_seconds() / 86_400 if low is not None else 0.0
            years = days / 365.25 if days >= 1 else None
        return optimize(
            self.organization,
            options,
            handovers=handovers,
            years=years,
            time_limit=time_limit,
            seed=seed,
            exact=exact,
            progress=progress,
        )

    # -- checks -------------------------------------------------------------------------------

    def _apply_written(self) -> None:
        """Apply every written scenario once; all their problems raise together."""
        if not self._written:
            return
        from orglens.scenarios import apply

        problems: list[Problem] = []
        for scenario in self._written:
            try:
                self._designed[scenario.name] = apply(self.organization, scenario)
            except (InvalidWorkspace, UsageError) as error:
                problems.extend(error.problems)
        if problems:
            raise InvalidWorkspace(problems)

    def __repr__(self) -> str:
        return f"Workspace.open({str(self.path)!r})"


def validate(
    path: str | os.PathLike[str],
    /,
    *,
    engine: str | object | None = None,
    progress: Progress | None = None,
    allow_outside: bool = False,
) -> list[Problem]:
    """Every problem of the workspace at ``path`` that ``analyze`` or ``compare`` would refuse:
    in its files, in the scenarios written in it (each applied once) and in its event log
    (read once, ``progress`` called while it is); an empty list when it opens.

    Each problem names the file (relative to the workspace; ``book.xlsx[sheet]`` in a
    workbook), the physical line (header = 1) and what to do about it. Problems of the files
    come alone when there are any (the scenarios and the log need the files read); otherwise
    those of the scenarios and of the log come together.
    """
    try:
        files = read_workspace(path, allow_outside=allow_outside)
    except InvalidWorkspace as error:
        return list(error.problems)
    workspace = Workspace(
        Path(path),
        files.organization,
        files.scenarios,
        files.advice,
        files.decision,
        engine=engine,
        level=None,
    )
    problems: list[Problem] = []
    steps: list[Callable[[], object]] = [
        workspace._apply_written,
        lambda: workspace.read_events(progress),
    ]
    for step in steps:
        try:
            step()
        except (InvalidWorkspace, UsageError) as error:
            problems.extend(error.problems)
    return problems
