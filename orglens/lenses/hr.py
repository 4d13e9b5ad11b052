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
  ``settings.team_size`` (5–9 by default), unless the unit has no own members, its only member
  is its head, or it holds sub-units (its own members are its head's staff): such a unit is no
  team and is not judged. A unit without a declared head that several managers share holds one
  team per manager (the manager and the people below them in the unit). The
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
The measures are computed by :mod:`orglens.lenses.spans` (spans, bands, one-over-ones, layers),
:mod:`orglens.lenses.teams` (teams, headcount) and :mod:`orglens.lenses.competences`
(competences, discipline fit, chapters); this module assembles them into :class:`HrResult`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from orglens.lenses._common import resolve_level, rounded
from orglens.lenses.competences import (
    Chapter,
    CompetenceSpread,
    chapters,
    competence_spread,
    discipline_fit,
)
from orglens.lenses.spans import (
    LayerSpan,
    ManagerSpan,
    OneOverOne,
    OneOverOneChain,
    SpanBand,
    SpanStats,
    manager_spans,
    one_over_one_chains,
    one_over_ones,
    span_bands,
    span_per_layer,
    span_stats,
)
from orglens.lenses.teams import (
    TeamSize,
    UnitHeadcount,
    team_sizes,
    teams_not_counted,
    unit_headcounts,
)
from orglens.model import Organization

__all__ = [
    "HrResult",
    "analyze",
]


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
    #: How many people have a cost (above 0): with none, ``people_cost`` is no figure of 0.
    people_with_cost: int
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
            "people_with_cost": self.people_with_cost,
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
          all of them. A unit without own members, whose only member is its head (the unit
          owner), or that holds sub-units, is no team: its ``within_range`` is ``None`` and
          ``not_counted`` says why (``"no own members"``, ``"only its head"``, ``"its head's
          staff, above sub-units"``); a unit several managers share gives one team per manager
          (with ``lead``). ``teams_counted`` = teams judged,
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

    managers = manager_spans(org)
    spans = [m.span for m in managers]
    units = unit_headcounts(org)
    teams = team_sizes(org, units)
    one_over_one = one_over_ones(org)
    fit, counted = discipline_fit(org)

    return HrResult(
        level=chosen_level,
        currency=org.currency,
        top=structure.top,
        virtual_top=len(structure.roots) > 1,
        headcount=len(org.people),
        fte=sum(u.fte for u in units),
        people_cost=sum(u.people_cost for u in units),
        people_with_cost=sum(1 for person in org.people if person.cost),
        managers=managers,
        span=span_stats(spans),
        span_range=settings.span_range,
        spans_out_of_range=sum(1 for m in managers if m.flag is not None),
        span_bands=span_bands(spans, settings.span_bands),
        one_over_one=one_over_one,
        one_over_one_chains=one_over_one_chains(org, one_over_one),
        span_per_layer=span_per_layer(org, managers),
        layers=structure.layers,
        people_per_layer=dict(structure.people_per_layer),
        teams=teams,
        team_size=settings.team_size,
        teams_out_of_range=sum(1 for t in teams if t.within_range is False),
        teams_counted=sum(1 for t in teams if t.not_counted is None),
        teams_not_counted=teams_not_counted(teams),
        competences=competence_spread(org, chosen_level),
        discipline_fit=fit,
        discipline_fit_counted=counted,
        units=units,
        chapters=chapters(org),
    )
