"""The HR lens: span of control, layers, team sizes, competences and headcount per unit.

The HR perspective groups people with the same expertise so that a manager who knows their
craft can develop them. This lens measures how well the organization does that, and whether
its managers lead a number of people they can lead:

- **span** of a manager: the number of direct reports (people whose ``manager_id`` is them).
  Only people with at least one direct report are managers. Each span gets the archetype whose
  range holds it (``settings.span_archetypes``, after McKinsey's five archetypes) and a flag when
  it lies outside ``settings.span_range``. **Span bands** give the share of managers per band of
  spans (``settings.span_bands``: 1, 2-3, 4-7, 8-12, 13-16, 17+ by default); a **one-over-one** is
  a manager whose only direct report manages people themselves: a step that adds a layer.
- **layers**: the top person is layer 1, their direct reports layer 2, and so on. Several people
  without a manager are each layer 1, under a virtual top that is no manager.
- **team** of a unit: its own members (people whose ``unit`` is exactly that unit), judged against
  ``settings.team_size`` (5–9 by default), unless the unit has no own members or its only member
  is its head (it holds sub-units, or one person): such a unit is no team and is not judged. The
  unit's total headcount (with every unit below it) is placed in the smallest of Dunbar's group
  layers (``settings.group_layers``, 5/15/50/150) that holds it.
- **competence spread**: for each competence, the people holding it, the units they sit in, and
  the dispersion ``1 - (holders in the group with most holders) / holders`` across the groups at
  the analysed level: departments by default, those declaring one ``function`` taken together.
  The same skill in three regional sales teams, or three regional sales departments, is not
  dispersed.
- **discipline fit**: the share of people whose manager shares their discipline.
- **headcount and people cost** per unit, own and rolled up over sub-units.

Every function is pure and linear in the number of people (plus units and competences).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from orglens.lenses._common import resolve_level, roll_up, rounded
from orglens.model import Organization

__all__ = [
    "Chapter",
    "CompetenceSpread",
    "HrResult",
    "LayerSpan",
    "ManagerSpan",
    "OneOverOne",
    "OneOverOneChain",
    "SpanBand",
    "SpanStats",
    "TeamSize",
    "UnitHeadcount",
    "analyze",
]


@dataclass(frozen=True)
class ManagerSpan:
    """A manager's span of control: ``span`` direct reports, its archetype and flag."""

    id: str
    name: str
    unit: str
    span: int
    archetype: str
    flag: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SpanStats:
    """Mean, median, minimum and maximum span over all managers (``None`` without managers)."""

    mean: float | None
    median: float | None
    min: int | None
    max: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "mean": rounded(self.mean),
            "median": rounded(self.median),
            "min": self.min,
            "max": self.max,
        }


@dataclass(frozen=True)
class SpanBand:
    """The managers whose span lies in ``min``..``max`` (``max=None``: no upper bound).

    ``share`` is their share of all managers, ``None`` without managers.
    """

    band: str
    min: int
    max: int | None
    managers: int
    share: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "band": self.band,
            "min": self.min,
            "max": self.max,
            "managers": self.managers,
            "share": rounded(self.share),
        }


@dataclass(frozen=True)
class OneOverOne:
    """A manager in ``layer`` whose only direct report, ``report``, manages people themselves."""

    id: str
    name: str
    unit: str
    layer: int
    report: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class OneOverOneChain:
    """People linked by one-over-one steps, top first: each but the last is one over the next."""

    people: tuple[str, ...]

    @property
    def steps(self) -> int:
        """How many one-over-one steps the chain makes (one less than its people)."""
        return len(self.people) - 1

    def to_dict(self) -> dict[str, Any]:
        return {"people": list(self.people), "steps": self.steps}


@dataclass(frozen=True)
class LayerSpan:
    """The ``managers`` in one ``layer`` and their mean span."""

    layer: int
    managers: int
    mean_span: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "managers": self.managers,
            "mean_span": rounded(self.mean_span),
        }


#: Why a unit is not judged as a team (``TeamSize.not_counted``).
_NO_OWN_MEMBERS = "no own members"
_ONLY_ITS_HEAD = "only its head"


@dataclass(frozen=True)
class TeamSize:
    """A unit seen as a team: own ``members`` and ``total_headcount`` with its sub-units.

    ``within_range`` is ``None`` when the unit is not judged as a team; ``not_counted`` says why
    (``"no own members"``, ``"only its head"``).
    """

    unit: str
    name: str
    members: int
    within_range: bool | None
    total_headcount: int
    group_layer: int | None
    not_counted: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CompetenceSpread:
    """How one competence is spread over the units and the groups at the analysed level.

    ``dispersion`` is counted across the groups (departments by default, those of one declared
    function as one group, named by the function), not the units.
    """

    competence: str
    holders: int
    units: int
    unit_ids: tuple[str, ...]
    groups: int
    group_ids: tuple[str, ...]
    dispersion: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "competence": self.competence,
            "holders": self.holders,
            "units": self.units,
            "unit_ids": list(self.unit_ids),
            "groups": self.groups,
            "group_ids": list(self.group_ids),
            "dispersion": rounded(self.dispersion),
        }


@dataclass(frozen=True)
class UnitHeadcount:
    """Headcount, FTE and people cost of a unit: own members, and ``total_*`` with sub-units."""

    unit: str
    name: str
    function: str | None
    headcount: int
    fte: float
    people_cost: float
    total_headcount: int
    total_fte: float
    total_people_cost: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "name": self.name,
            "function": self.function,
            "headcount": self.headcount,
            "fte": rounded(self.fte),
            "people_cost": rounded(self.people_cost),
            "total_headcount": self.total_headcount,
            "total_fte": rounded(self.total_fte),
            "total_people_cost": rounded(self.total_people_cost),
        }


@dataclass(frozen=True)
class Chapter:
    """A discipline home ("chapter") that people keep a dotted line to from other units (pods).

    ``head`` is the chapter unit's owner: who develops its members in their craft.
    ``discipline_fit`` is the share of ``members`` whose first competence the head holds.
    """

    unit: str
    head: str | None
    members: int
    discipline_fit: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "head": self.head,
            "members": self.members,
            "discipline_fit": rounded(self.discipline_fit),
        }


@dataclass(frozen=True)
class HrResult:
    """What the HR lens finds; :meth:`to_dict` gives the JSON form with stable keys."""

    level: int
    currency: str
    top: str
    virtual_top: bool
    headcount: int
    fte: float
    people_cost: float
    managers: tuple[ManagerSpan, ...]
    span: SpanStats
    span_range: tuple[int, int]
    spans_out_of_range: int
    span_bands: tuple[SpanBand, ...]
    one_over_one: tuple[OneOverOne, ...]
    one_over_one_chains: tuple[OneOverOneChain, ...]
    span_per_layer: tuple[LayerSpan, ...]
    layers: int
    people_per_layer: dict[int, int]
    teams: tuple[TeamSize, ...]
    team_size: tuple[int, int]
    teams_out_of_range: int
    teams_counted: int
    teams_not_counted: dict[str, int]
    competences: tuple[CompetenceSpread, ...]
    discipline_fit: float | None
    discipline_fit_counted: int
    units: tuple[UnitHeadcount, ...]
    chapters: tuple[Chapter, ...] = ()

    @property
    def competence_groups(self) -> str:
        """What the competences' ``groups`` are at this ``level``, in words."""
        if self.level == 0:
            return "the whole company"
        return "departments" if self.level == 1 else f"units at level {self.level}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "currency": self.currency,
            "top": self.top,
            "virtual_top": self.virtual_top,
            "headcount": self.headcount,
            "fte": rounded(self.fte),
            "people_cost": rounded(self.people_cost),
            "managers": [m.to_dict() for m in self.managers],
            "span": self.span.to_dict(),
            "span_range": list(self.span_range),
            "spans_out_of_range": self.spans_out_of_range,
            "span_bands": [b.to_dict() for b in self.span_bands],
            "one_over_one": [o.to_dict() for o in self.one_over_one],
            "one_over_one_chains": [c.to_dict() for c in self.one_over_one_chains],
            "span_per_layer": [s.to_dict() for s in self.span_per_layer],
            "layers": self.layers,
            "people_per_layer": {str(k): v for k, v in sorted(self.people_per_layer.items())},
            "teams": [t.to_dict() for t in self.teams],
            "team_size": list(self.team_size),
            "teams_out_of_range": self.teams_out_of_range,
            "teams_counted": self.teams_counted,
            "teams_not_counted": dict(self.teams_not_counted),
            "competences": [c.to_dict() for c in self.competences],
            "competences_counted_across": {
                "level": self.level,
                "groups": self.competence_groups,
                "functions_together": self.level == 1,
            },
            "discipline_fit": rounded(self.discipline_fit),
            "discipline_fit_counted": self.discipline_fit_counted,
            "units": [u.to_dict() for u in self.units],
            "chapters": [c.to_dict() for c in self.chapters],
        }


def analyze(org: Organization, /, *, level: int | None = None) -> HrResult:
    """Look at ``org`` through the HR lens.

    Parameters
    ----------
    org
        The organization (today's, or a scenario's).
    level
        Depth of the unit tree at which competences are counted as ``groups`` and dispersed
        (1 = departments); ``None`` uses ``org.settings.level``. All other measures are per exact
        unit.

    Returns
    -------
    HrResult
        With these measures:

        - ``managers``: every person with at least one direct report, with ``span`` = number of
          direct reports, ``archetype`` = the archetype whose range holds the span (``"none"``
          when none does) and ``flag`` = ``"below range"`` / ``"above range"`` against
          ``settings.span_range`` (``None`` inside it); sorted by descending span, then id.
        - ``span``: mean, median, min and max of the managers' spans (``None`` without managers);
          ``spans_out_of_range``: how many managers carry a flag.
        - ``span_bands``: per band of ``settings.span_bands`` (upper bounds; one more band above
          the last), ``managers`` whose span lies in it and their ``share`` of all managers.
        - ``one_over_one``: every manager whose only direct report manages people themselves (by
          layer, then id); ``one_over_one_chains``: the longest runs of such steps, top person
          first, each one-over-one manager in exactly one chain (most ``steps`` first);
          ``span_per_layer``: per layer with managers, their number and mean span.
        - ``layers``: the deepest layer, the top person being layer 1; ``people_per_layer``:
          how many people sit in each layer. With several people without a manager
          (``virtual_top``), each of them is layer 1 and the virtual top is no manager.
        - ``teams``: per unit, ``members`` = people whose unit is exactly it, ``within_range`` =
          members inside ``settings.team_size``, ``total_headcount`` = members of it and of every
          unit below it, ``group_layer`` = the smallest of ``settings.group_layers`` (Dunbar's
          5/15/50/150 layers of group size) that is at least the total headcount, ``None`` above
          all of them. A unit without own members, or whose only member is its head (the unit
          owner), is no team: its ``within_range`` is ``None`` and ``not_counted`` says why
          (``"no own members"``, ``"only its head"``). ``teams_counted`` = units judged as teams,
          ``teams_not_counted`` = units left out per reason, ``teams_out_of_range`` = judged
          teams whose ``within_range`` is false.
        - ``competences``: per competence, ``holders`` = people listing it, ``units`` = distinct
          units of the holders (``unit_ids``), ``groups`` = distinct groups of the holders
          (``group_ids``): their units at ``level``, except that at level 1 departments that
          declare the same ``function`` are one group, named by the function; ``dispersion`` =
          ``1 - max_group_holders / holders``: 0 when all holders share one group (one
          department or function by default, whatever its teams) and close to 1 when they are
          scattered one per group; sorted by competence.
        - ``discipline_fit``: among people who have a manager, both with at least one competence,
          the share whose discipline (their first listed competence) is among their manager's
          competences; ``discipline_fit_counted`` = how many people were counted; ``None`` when
          nobody was.
        - ``units``: per unit, ``headcount``, ``fte`` and ``people_cost`` of its own members and
          ``total_*`` including every unit below it; ``headcount``, ``fte`` and ``people_cost``
          at the top level are the totals of the organization.

    Raises
    ------
    UsageError
        When ``level`` is negative.

    Examples
    --------
    >>> from orglens.model import Organization, Person
    >>> org = Organization(people=[
    ...     Person(id="ceo", unit="Management", competences=("leadership",)),
    ...     Person(id="s1", manager_id="ceo", unit="Sales", competences=("selling",)),
    ...     Person(id="s2", manager_id="ceo", unit="Sales", competences=("leadership",)),
    ... ])
    >>> hr = analyze(org)
    >>> [(m.id, m.span, m.archetype, m.flag) for m in hr.managers]
    [('ceo', 2, 'none', 'below range')]
    >>> hr.layers, hr.people_per_layer
    (2, {1: 1, 2: 2})
    >>> hr.discipline_fit, hr.discipline_fit_counted
    (0.5, 2)
    >>> [(band.band, band.managers, band.share) for band in hr.span_bands if band.managers]
    [('2-3', 1, 1.0)]
    """
    chosen_level = resolve_level(org, level)
    structure = org.structure
    settings = org.settings

    managers = tuple(
        sorted(
            (
                ManagerSpan(
                    id=pid,
                    name=_display_name(org, pid),
                    unit=structure.unit_of[pid],
                    span=len(reports),
                    archetype=settings.archetype_of(len(reports)),
                    flag=settings.span_flag(len(reports)),
                )
                for pid, reports in structure.reports.items()
                if reports
            ),
            key=lambda m: (-m.span, m.id),
        )
    )
    spans = [m.span for m in managers]
    span = SpanStats(
        mean=statistics.fmean(spans) if spans else None,
        median=float(statistics.median(spans)) if spans else None,
        min=min(spans, default=None),
        max=max(spans, default=None),
    )

    units = _unit_headcounts(org)
    teams = _teams(org, units)
    one_over_one = _one_over_one(org)
    fit, counted = _discipline_fit(org)

    return HrResult(
        level=chosen_level,
        currency=org.currency,
        top=structure.top,
        virtual_top=len(structure.roots) > 1,
        headcount=len(org.people),
        fte=sum(u.fte for u in units),
        people_cost=sum(u.people_cost for u in units),
        managers=managers,
        span=span,
        span_range=settings.span_range,
        spans_out_of_range=sum(1 for m in managers if m.flag is not None),
        span_bands=_span_bands(spans, settings.span_bands),
        one_over_one=one_over_one,
        one_over_one_chains=_chains(org, one_over_one),
        span_per_layer=_span_per_layer(org, managers),
        layers=structure.layers,
        people_per_layer=dict(sorted(Counter(structure.layer.values()).items())),
        teams=teams,
        team_size=settings.team_size,
        teams_out_of_range=sum(1 for t in teams if t.within_range is False),
        teams_counted=sum(1 for t in teams if t.not_counted is None),
        teams_not_counted={
            reason: sum(1 for t in teams if t.not_counted == reason)
            for reason in (_NO_OWN_MEMBERS, _ONLY_ITS_HEAD)
        },
        competences=_competences(org, chosen_level),
        discipline_fit=fit,
        discipline_fit_counted=counted,
        units=units,
        chapters=_chapters(org),
    )


def _span_bands(spans: list[int], bounds: tuple[int, ...]) -> tuple[SpanBand, ...]:
    """Managers per band: ``1..bounds[0]``, ``bounds[0]+1..bounds[1]``, ..., ``bounds[-1]+1`` up."""
    lows = (1, *(bound + 1 for bound in bounds))
    highs: tuple[int | None, ...] = (*bounds, None)
    bands = []
    for low, high in zip(lows, highs, strict=True):
        inside = sum(1 for span in spans if span >= low and (high is None or span <= high))
        label = f"{low}+" if high is None else str(low) if low == high else f"{low}-{high}"
        share = inside / len(spans) if spans else None
        bands.append(SpanBand(label, low, high, inside, share))
    return tuple(bands)


def _one_over_one(org: Organization) -> tuple[OneOverOne, ...]:
    """Managers whose single direct report has reports of their own, by layer then id."""
    structure = org.structure
    found = []
    for pid, reports in structure.reports.items():
        if len(reports) == 1 and structure.reports[reports[0]]:
            unit, layer = structure.unit_of[pid], structure.layer[pid]
            found.append(OneOverOne(pid, _display_name(org, pid), unit, layer, reports[0]))
    return tuple(sorted(found, key=lambda o: (o.layer, o.id)))


def _chains(org: Organization, steps: tuple[OneOverOne, ...]) -> tuple[OneOverOneChain, ...]:
    """The longest runs of one-over-one steps, from a manager whose own manager is no step."""
    report_of = {step.id: step.report for step in steps}
    chains = []
    for step in steps:
        if org.structure.manager[step.id] in report_of:
            continue  # the chain already started above this manager
        people = [step.id]
        while people[-1] in report_of:
            people.append(report_of[people[-1]])
        chains.append(OneOverOneChain(tuple(people)))
    return tuple(sorted(chains, key=lambda c: (-c.steps, c.people[0])))


def _span_per_layer(org: Organization, managers: tuple[ManagerSpan, ...]) -> tuple[LayerSpan, ...]:
    spans: dict[int, list[int]] = defaultdict(list)
    for m in managers:
        spans[org.structure.layer[m.id]].append(m.span)
    return tuple(
        LayerSpan(layer, len(spans[layer]), statistics.fmean(spans[layer]))
        for layer in sorted(spans)
    )


def _chapters(org: Organization) -> tuple[Chapter, ...]:
    """Who keeps a dotted line to which chapter, and whether its head shares their discipline."""
    structure = org.structure
    members: dict[str, list[str]] = defaultdict(list)
    for person in org.people:
        if person.chapter is not None and person.chapter != person.unit:
            members[person.chapter].append(person.id)
    chapters = []
    for unit in sorted(members):
        head = structure.unit_owner.get(unit)
        skills = org.person_by_id[head].competences if head is not None else ()
        counted = [org.person_by_id[pid] for pid in members[unit]]
        counted = [p for p in counted if p.competences]
        fit = (
            sum(p.competences[0] in skills for p in counted) / len(counted)
            if counted and skills
            else None
        )
        chapters.append(Chapter(unit, head, len(members[unit]), fit))
    return tuple(chapters)


def _display_name(org: Organization, person: str) -> str:
    return org.person_by_id[person].name or person


def _unit_headcounts(org: Organization) -> tuple[UnitHeadcount, ...]:
    structure = org.structure
    headcount: dict[str, float] = {u.id: 0.0 for u in org.units}
    fte: dict[str, float] = dict(headcount)
    cost: dict[str, float] = dict(headcount)
    for p in org.people:
        headcount[p.unit] += 1
        fte[p.unit] += p.fte
        cost[p.unit] += p.cost
    total_headcount = roll_up(structure, headcount)
    total_fte = roll_up(structure, fte)
    total_cost = roll_up(structure, cost)
    return tuple(
        UnitHeadcount(
            unit=u.id,
            name=u.name or u.id,
            function=u.function,
            headcount=int(headcount[u.id]),
            fte=fte[u.id],
            people_cost=cost[u.id],
            total_headcount=int(total_headcount[u.id]),
            total_fte=total_fte[u.id],
            total_people_cost=total_cost[u.id],
        )
        for u in org.units
    )


def _teams(org: Organization, units: tuple[UnitHeadcount, ...]) -> tuple[TeamSize, ...]:
    low, high = org.settings.team_size
    layers = sorted(org.settings.group_layers)
    teams = []
    for u in units:
        not_counted = _not_a_team(org, u.unit)
        teams.append(
            TeamSize(
                unit=u.unit,
                name=u.name,
                members=u.headcount,
                within_range=None if not_counted else low <= u.headcount <= high,
                total_headcount=u.total_headcount,
                group_layer=next((size for size in layers if size >= u.total_headcount), None),
                not_counted=not_counted,
            )
        )
    return tuple(teams)


def _not_a_team(org: Organization, unit: str) -> str | None:
    """Why ``unit`` is no team to judge by size (it holds sub-units, or one person), or ``None``."""
    members = org.structure.unit_members[unit]
    if not members:
        return _NO_OWN_MEMBERS
    if members == (org.structure.unit_owner[unit],):
        return _ONLY_ITS_HEAD
    return None


def _competences(org: Organization, level: int) -> tuple[CompetenceSpread, ...]:
    # One flat count per (competence, unit): the hot loop runs once per person and competence.
    pair_count: dict[tuple[str, str], int] = {}
    for p in org.people:
        unit = p.unit
        for competence in dict.fromkeys(p.competences):  # a competence listed twice counts once
            key = (competence, unit)
            pair_count[key] = pair_count.get(key, 0) + 1
    per_competence: dict[str, dict[str, int]] = defaultdict(dict)
    for (competence, unit), count in pair_count.items():
        per_competence[competence][unit] = count
    group_of: dict[str, str] = {}
    result = []
    for competence in sorted(per_competence):
        counts = per_competence[competence]
        holders = sum(counts.values())
        per_group: Counter[str] = Counter()
        for unit, count in counts.items():
            if unit not in group_of:
                group_of[unit] = _competence_group(org, unit, level)
            per_group[group_of[unit]] += count
        result.append(
            CompetenceSpread(
                competence=competence,
                holders=holders,
                units=len(counts),
                unit_ids=tuple(sorted(counts)),
                groups=len(per_group),
                group_ids=tuple(sorted(per_group)),
                dispersion=1 - max(per_group.values()) / holders,
            )
        )
    return tuple(result)


def _competence_group(org: Organization, unit: str, level: int) -> str:
    """The group ``unit`` counts in: its unit at ``level``; at level 1 a department's function.

    Departments of one declared function are one discipline home (regional sales departments
    are all sales), as the builtin designs take them together; below level 1 the units asked
    for are compared as they are.
    """
    group = org.structure.group_of_unit(unit, level)
    record = org.unit_by_id.get(group)
    if level == 1 and record is not None and record.function:
        return record.function
    return group


def _discipline_fit(org: Organization) -> tuple[float | None, int]:
    """Share of people whose first competence is among their manager's, and how many counted."""
    by_id = org.person_by_id
    counted = fitting = 0
    for p in org.people:
        if p.manager_id is None or not p.competences:
            continue
        manager_competences = by_id[p.manager_id].competences
        if not manager_competences:
            continue
        counted += 1
        fitting += p.competences[0] in manager_competences
    return (fitting / counted if counted else None), counted
