"""What every rule reads: the organization, its analysis, scenario metrics and settings.

The rules share lookups (the function of a unit, the groups of a function at the analysed level,
the built-in scenarios applied to the organization) that are computed once, here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from math import ceil, floor

from orglens.advice.finding import BORDERLINE, Finding
from orglens.errors import OrglensError
from orglens.i18n import integer, listed, number, t
from orglens.lenses import Analysis
from orglens.model import VIRTUAL_TOP, Organization, Person, Scenario
from orglens.model.advice import AdviceSettings
from orglens.scenarios import METRICS, Metric, apply, builtin_scenarios

__all__ = [
    "Context",
    "ScenarioMetrics",
    "band",
    "between",
    "counted",
    "dominated",
    "head_names",
    "metric_label",
    "missing_functions",
    "money",
    "sentence",
    "tipping",
]

#: ``{scenario name: {metric: value}}``, as the scorecard gives it (any part may be missing).
ScenarioMetrics = Mapping[str, Mapping[str, float | None]]


class Context:
    """The inputs of one :func:`~orglens.advice.advise` call, with lookups cached."""

    def __init__(
        self,
        org: Organization,
        analysis: Analysis,
        scenarios: ScenarioMetrics | None,
        settings: AdviceSettings,
        designed: Mapping[str, Organization] | None = None,
        dominated_by: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.org = org
        self.analysis = analysis
        self.scenarios: ScenarioMetrics = scenarios or {}
        self.settings = settings
        self.level = analysis.level
        self._designed = designed or {}
        self._dominated_by = dominated_by or {}

    @property
    def group_noun(self) -> str:
        """What a group is called in a sentence: a department at level 1, a unit deeper."""
        return t(
            "advice_common.group_department" if self.level == 1 else "advice_common.group_unit"
        )

    # -- scenario metrics -----------------------------------------------------------------------

    def metric(self, scenario: str, key: str) -> float | None:
        """One scorecard value, ``None`` when the scenario or the metric is missing."""
        value = self.scenarios.get(scenario, {}).get(key)
        return None if value is None else float(value)

    def dominated_by(self, scenario: str) -> tuple[str, ...] | None:
        """The compared designs that dominate ``scenario`` (no better on any metric, worse on at
        least one); ``None`` when no scorecard with that design was given."""
        return self._dominated_by.get(scenario)

    def on_pareto_front(self, scenario: str) -> bool | None:
        """Whether no compared design dominates ``scenario`` (``None``: not compared)."""
        beaten = self.dominated_by(scenario)
        return None if beaten is None else not beaten

    def metric_by_scenario(self, key: str, names: Iterable[str]) -> dict[str, float | None]:
        """``{scenario: value}`` of ``key`` for the ``names`` the scorecard has; empty when
        none of them has a value."""
        found = {name: self.metric(name, key) for name in names if name in self.scenarios}
        return found if any(value is not None for value in found.values()) else {}

    # -- units and functions --------------------------------------------------------------------

    @cached_property
    def _function_of_unit(self) -> dict[str, str | None]:
        structure = self.org.structure
        found: dict[str, str | None] = {}
        for unit in sorted(structure.unit_depth, key=structure.unit_depth.__getitem__):
            own = self.org.unit_by_id[unit].function
            parent = structure.unit_parent[unit]
            found[unit] = own.strip().casefold() if own else (found[parent] if parent else None)
        return found

    def function_of(self, unit: str) -> str | None:
        """The function of ``unit``, or of the nearest unit above it that has one."""
        return self._function_of_unit.get(unit)

    def group_of(self, unit: str) -> str:
        """The group of ``unit`` at the analysed level (a department at level 1)."""
        return self.org.structure.group_of_unit(unit, self.level)

    def groups_of(self, function: str) -> tuple[str, ...]:
        """The groups at the analysed level whose function is ``function``, in file order."""
        groups = dict.fromkeys(self.group_of(u.id) for u in self.org.units)
        return tuple(g for g in groups if g != VIRTUAL_TOP and self.function_of(g) == function)

    def people_of(self, function: str) -> list[Person]:
        """The people whose unit has ``function`` (directly or through a unit above it)."""
        return [p for p in self.org.people if self.function_of(p.unit) == function]

    def unit_name(self, unit: str) -> str:
        found = self.org.unit_by_id.get(unit)
        return (found.name or found.id) if found is not None else unit

    def person_name(self, person: str) -> str:
        found = self.org.person_by_id.get(person)
        return (found.name or found.id) if found is not None else person

    # -- scenarios applied ----------------------------------------------------------------------

    @cached_property
    def builtin(self) -> tuple[Scenario, ...]:
        """The built-in designs that apply to the organization."""
        return builtin_scenarios(self.org)

    @cached_property
    def applied(self) -> dict[str, Organization]:
        """``{name: designed organization}`` for each built-in design that can be applied;
        those the caller already applied (``designed``) are not applied again."""
        designed: dict[str, Organization] = {}
        for scenario in self.builtin:
            if scenario.name in self._designed:
                designed[scenario.name] = self._designed[scenario.name]
                continue
            try:
                designed[scenario.name] = apply(self.org, scenario)
            except OrglensError:
                continue  # a design this organization cannot take is simply not compared
        return designed


# -- wording ------------------------------------------------------------------------------------


def counted(key: str, count: float, /, **params: object) -> str:
    """The text of ``key_one`` when ``count`` is 1, of ``key_other`` otherwise, with
    ``params`` filled in: the plural form a sentence needs.

    >>> counted("advice_span.today_note", 1, names="Ann")
    ' 1 manager (Ann) is above the range today, whatever the design.'
    """
    return t(f"{key}_{'one' if count == 1 else 'other'}", n=number(count), **params)


def sentence(text: str) -> str:
    """``text`` with its first letter upper-cased and a full stop: ``'a b'`` → ``'A b.'``."""
    return f"{text[:1].upper()}{text[1:]}."


def money(amount: float, currency: str) -> str:
    """``1250000, 'SEK'`` → ``'1,250,000 SEK'`` (``'1 250 000 SEK'`` in Swedish)."""
    return t("advice_common.money", amount=integer(amount), currency=currency)


def band(threshold: float, *, whole: bool = False) -> tuple[float, float]:
    """The values closer to ``threshold`` than :data:`~orglens.advice.BORDERLINE` (relative),
    where a verdict is borderline: the open bounds, or for whole numbers the first and the last
    whole number inside.

    >>> band(50, whole=True), band(3600), band(5, whole=True)
    ((46, 54), (3240.0, 3960.0), (5, 5))
    """
    reach = BORDERLINE * abs(threshold)
    low, high = threshold - reach, threshold + reach
    if not whole:
        return round(low, 9), round(high, 9)
    first, last = ceil(low), floor(high)
    return (
        first + (abs(first - threshold) >= reach),
        last - (abs(last - threshold) >= reach),
    )


def between(threshold: float, show: Callable[[float], str], *, whole: bool = False) -> str:
    """The borderline band around ``threshold`` as text, each end written by ``show``:
    ``between(50, number, whole=True)`` → ``'46–54'``; one value when the band holds one."""
    low, high = band(threshold, whole=whole)
    return show(low) if low == high else t("advice_common.between", low=show(low), high=show(high))


def tipping(setting: str, threshold: str, measure: str, change: str) -> str:
    """The one sentence of a finding's ``tipping_point``: ``tipping('small_go_to_market', '50
    people', 'this company has 46', '5 more people')`` → ``'The verdict turns at
    small_go_to_market = 50 people; this company has 46: 5 more people would change it.'``

    The parts come in the current language; ``change`` ends as the sentence needs it (a
    parenthetical alternative ends with a comma: ``'5 more people, or a threshold of 45,'``).
    """
    return t(
        "advice_common.tipping",
        setting=setting,
        threshold=threshold,
        measure=measure,
        change=change,
    )


def _worse(ctx: Context, design: str, other: str, metric: Metric) -> bool:
    mine, theirs = ctx.metric(design, metric.key), ctx.metric(other, metric.key)
    if mine is None or theirs is None:
        return False
    mine, theirs = round(mine, 6), round(theirs, 6)
    return mine < theirs if metric.better == "higher" else mine > theirs


def dominated(ctx: Context, design: str) -> str:
    """How the scorecard beats ``design``: ``'the scorecard shows merge_sales_marketing
    dominated by ceo_forum, worse than ceo_forum on managers changed and equal on the rest'``;
    empty when ``design`` is on the Pareto front or was not compared."""
    beaten = ctx.dominated_by(design)
    if not beaten:
        return ""
    first = beaten[0]
    worse = [metric_label(m.key) for m in METRICS if _worse(ctx, design, first, m)]
    return t(
        "advice_common.dominated",
        design=design,
        by=listed(beaten),
        first=first,
        worse=listed(worse),
    )


def metric_label(key: str) -> str:
    """How a sentence names the scorecard metric ``key``: ``'managers_changed'`` →
    ``'managers changed'`` (``'byten av chef'`` in Swedish)."""
    return t(f"advice_common.metric.{key}")


def head_names(ctx: Context, units: Iterable[str]) -> tuple[str, ...]:
    """The names of the people who own ``units`` (their heads), once each, in order."""
    owners = (ctx.org.structure.unit_owner.get(unit) for unit in units)
    return tuple(dict.fromkeys(ctx.person_name(o) for o in owners if o is not None))


def missing_functions(rule: str, argument: str, functions: str | None = None) -> Finding:
    """The finding of a rule that cannot speak: no units carry the functions it is about.

    ``argument`` names the rule's argument and ``functions`` the function tags of units.csv it
    needs (``'sales and marketing'`` by default), both in the current language.
    """
    functions = listed(("sales", "marketing")) if functions is None else functions
    return Finding(
        rule=rule,
        triggered=False,
        verdict=t("advice_common.missing_verdict", argument=argument, functions=functions),
        because=t("advice_common.missing_because", functions=functions),
        evidence={},
        conditions=(),
        counter="",
        missing=(t("advice_common.missing_units", functions=functions),),
    )
