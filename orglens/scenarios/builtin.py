"""The designs of the debate, generated for any workspace from its units' ``function`` tags.

The **departments** are the units directly below the top unit (each top-level unit when the
units form no single tree); a department's function is its unit's ``function``. A design is
generated only when the functions it needs exist among the departments (several departments
of one function are taken together):

================================================  ============================================
name                                               design (needs)
================================================  ============================================
``status_quo``                                     today's organization (always)
``ceo_forum``                                      the heads of the sales, marketing,
                                                   communications and product departments meet
                                                   under the top person (two of them, one top)
``merge_sales_marketing``                          sales and marketing merge into "Sales &
                                                   Marketing" under the best-placed head
``merge_marketing_communications``                 marketing and communications merge into
                                                   "Marketing & Communications"
``merge_sales_marketing_communications``           the three merge into "Sales, Marketing &
                                                   Communications"
``journey_pods``                                   pods of sales, marketing (and communications)
                                                   per journey stage (sales, marketing, and a
                                                   journey activity done in one of them)
``segment_pods``                                   the same pods per customer segment (sales,
                                                   marketing, and people there who list
                                                   segments)
================================================  ============================================

User-written scenarios sit beside them (:func:`all_scenarios`).
"""

from __future__ import annotations

from collections.abc import Iterable

from orglens.i18n import listed, t
from orglens.lenses.journey import declared_journey
from orglens.model import VIRTUAL_TOP, BuildPods, HoldForum, MergeUnits, Organization, Scenario
from orglens.scenarios._draft import best_placed_head

__all__ = [
    "BUILTIN_NAMES",
    "CEO_FORUM",
    "JOURNEY_PODS",
    "MERGE_MARKETING_COMMUNICATIONS",
    "MERGE_SALES_MARKETING",
    "MERGE_SALES_MARKETING_COMMUNICATIONS",
    "SALES_MARKETING_DESIGNS",
    "SEGMENT_PODS",
    "STATUS_QUO",
    "all_scenarios",
    "builtin_scenarios",
    "departments",
    "skipped_designs",
]

#: The names of the built-in designs (advice rules and front ends refer to these constants).
STATUS_QUO = "status_quo"
CEO_FORUM = "ceo_forum"
MERGE_SALES_MARKETING = "merge_sales_marketing"
MERGE_MARKETING_COMMUNICATIONS = "merge_marketing_communications"
MERGE_SALES_MARKETING_COMMUNICATIONS = "merge_sales_marketing_communications"
JOURNEY_PODS = "journey_pods"
SEGMENT_PODS = "segment_pods"

#: The built-in designs that change how sales and marketing work together (every one but the
#: communications-only merge), in the order they are listed.
SALES_MARKETING_DESIGNS = (
    STATUS_QUO,
    CEO_FORUM,
    MERGE_SALES_MARKETING,
    MERGE_SALES_MARKETING_COMMUNICATIONS,
    JOURNEY_PODS,
    SEGMENT_PODS,
)

#: The names of the built-in designs, in the order they are listed.
BUILTIN_NAMES = (
    STATUS_QUO,
    CEO_FORUM,
    MERGE_SALES_MARKETING,
    MERGE_MARKETING_COMMUNICATIONS,
    MERGE_SALES_MARKETING_COMMUNICATIONS,
    JOURNEY_PODS,
    SEGMENT_PODS,
)

_FORUM_FUNCTIONS = ("sales", "marketing", "communications", "product")
_MERGES = (
    (MERGE_SALES_MARKETING, ("sales", "marketing"), "Sales & Marketing"),
    (
        MERGE_MARKETING_COMMUNICATIONS,
        ("marketing", "communications"),
        "Marketing & Communications",
    ),
    (
        MERGE_SALES_MARKETING_COMMUNICATIONS,
        ("sales", "marketing", "communications"),
        "Sales, Marketing & Communications",
    ),
)


def departments(org: Organization, /) -> dict[str, tuple[str, ...]]:
    """``{function: department unit ids}`` for the departments that have a function.

    Examples
    --------
    >>> from orglens.model import Organization, Person, Unit
    >>> org = Organization(
    ...     people=[Person(id="ceo", unit="top")],
    ...     units=[Unit(id="top", function="management"),
    ...            Unit(id="emea", parent="top", function="sales"),
    ...            Unit(id="apac", parent="top", function="sales"),
    ...            Unit(id="brand", parent="emea", function="marketing")],
    ... )
    >>> departments(org)
    {'sales': ('emea', 'apac')}
    """
    structure = org.structure
    depth = 1 if structure.single_top_unit else 0
    found: dict[str, list[str]] = {}
    for unit in org.units:
        if structure.unit_depth[unit.id] == depth and unit.function:
            found.setdefault(unit.function, []).append(unit.id)
    return {function: tuple(units) for function, units in found.items()}


def builtin_scenarios(org: Organization, /) -> tuple[Scenario, ...]:
    """The built-in designs that apply to ``org`` (see the module doc), in a fixed order.

    Examples
    --------
    >>> from orglens.model import Organization, Person, Unit
    >>> org = Organization(
    ...     people=[Person(id="ceo", unit="top"),
    ...             Person(id="s", manager_id="ceo", unit="sales"),
    ...             Person(id="m", manager_id="ceo", unit="marketing")],
    ...     units=[Unit(id="top"), Unit(id="sales", parent="top", function="sales"),
    ...            Unit(id="marketing", parent="top", function="marketing")],
    ... )
    >>> [(s.name, s.kind) for s in builtin_scenarios(org)]
    [('status_quo', 'status_quo'), ('ceo_forum', 'forum'), ('merge_sales_marketing', 'merge')]
    """
    by_function = departments(org)
    scenarios = [
        Scenario(
            name=STATUS_QUO,
            kind=STATUS_QUO,
            description="Today's organization, unchanged.",
        )
    ]
    forum_units = [u for f in _FORUM_FUNCTIONS for u in by_function.get(f, ())]
    forum_functions = [f for f in _FORUM_FUNCTIONS if f in by_function]
    if len(forum_functions) >= 2 and org.structure.top != VIRTUAL_TOP:
        top = org.person_by_id[org.structure.top]
        scenarios.append(
            Scenario(
                name=CEO_FORUM,
                kind="forum",
                description=(
                    f"The heads of {_listed(forum_functions)} meet regularly under "
                    f"{top.name or top.id}; the structure stays as it is."
                ),
                operations=(HoldForum(units=tuple(forum_units), name="CEO forum"),),
            )
        )
    for name, functions, title in _MERGES:
        if all(f in by_function for f in functions):
            units = tuple(u for f in functions for u in by_function[f])
            head = best_placed_head(org.structure, units)
            head_name = "nobody" if head is None else (org.person_by_id[head].name or head)
            scenarios.append(
                Scenario(
                    name=name,
                    kind="merge",
                    description=(
                        f"{_listed(functions).capitalize()} become one department, {title}, "
                        f"headed by {head_name} (head of the largest); their units live on "
                        "as teams inside it."
                    ),
                    operations=(MergeUnits(units=units, name=title),),
                )
            )
    scenarios.extend(_pods(org, by_function))
    return tuple(scenarios)


def _pods(org: Organization, by_function: dict[str, tuple[str, ...]]) -> list[Scenario]:
    if "sales" not in by_function or "marketing" not in by_function:
        return []
    functions = [f for f in ("sales", "marketing", "communications") if f in by_function]
    units = tuple(u for f in functions for u in by_function[f])
    structure = org.structure
    scope = {unit for root in units for unit in structure.unit_subtree(root)}
    found = []
    if any(step.unit in scope for step in declared_journey(org)):
        found.append(
            Scenario(
                name=JOURNEY_PODS,
                kind="pods",
                description=(
                    f"Cross-functional pods of {_listed(functions)} people, one set per journey "
                    "stage; everyone keeps a dotted line to their discipline's chapter."
                ),
                operations=(BuildPods(units=units, by="stage"),),
            )
        )
    if any(p.segments for p in org.people if p.unit in scope):
        found.append(
            Scenario(
                name=SEGMENT_PODS,
                kind="pods",
                description=(
                    f"Cross-functional pods of {_listed(functions)} people, one set per customer "
                    "segment; everyone keeps a dotted line to their discipline's chapter."
                ),
                operations=(BuildPods(units=units, by="segment"),),
            )
        )
    return found


def skipped_designs(org: Organization, /) -> dict[str, str]:
    """``{name: why}`` for each built-in design that does not apply to ``org``, in the current
    language (:func:`orglens.i18n.using`).

    Examples
    --------
    >>> from orglens.model import Organization, Person, Unit
    >>> org = Organization(
    ...     people=[Person(id="ceo", unit="top"),
    ...             Person(id="s", manager_id="ceo", unit="sales"),
    ...             Person(id="m", manager_id="ceo", unit="marketing")],
    ...     units=[Unit(id="top"), Unit(id="sales", parent="top", function="sales"),
    ...            Unit(id="marketing", parent="top", function="marketing")],
    ... )
    >>> skipped_designs(org)[JOURNEY_PODS]
    'no declared journey (journey.csv) has an activity done in sales or marketing'
    """
    made = {scenario.name for scenario in builtin_scenarios(org)}
    by_function = departments(org)

    def lacking(functions: Iterable[str]) -> str:
        missing = [f for f in functions if f not in by_function]
        return t("designs.no_department", functions=listed(missing))

    why: dict[str, str] = {}
    forum_functions = [f for f in _FORUM_FUNCTIONS if f in by_function]
    if CEO_FORUM not in made:
        if len(forum_functions) >= 2:
            why[CEO_FORUM] = t("designs.forum_no_top")
        elif forum_functions:
            why[CEO_FORUM] = t("designs.forum_one", found=forum_functions[0])
        else:
            why[CEO_FORUM] = t("designs.forum_none")
    for name, functions, _ in _MERGES:
        if name not in made:
            why[name] = lacking(functions)
    for name, key in ((JOURNEY_PODS, "designs.no_journey"), (SEGMENT_PODS, "designs.no_segments")):
        if name not in made:
            both = "sales" in by_function and "marketing" in by_function
            why[name] = t(key) if both else lacking(("sales", "marketing"))
    return why


def all_scenarios(org: Organization, written: Iterable[Scenario] = (), /) -> tuple[Scenario, ...]:
    """The built-in designs for ``org``, then the ``written`` ones (from ``orglens.yaml`` and
    ``scenarios/*.yaml``); a written scenario with a built-in's name takes its place."""
    mine = {scenario.name: scenario for scenario in written}
    builtins = builtin_scenarios(org)
    names = {scenario.name for scenario in builtins}
    return (
        *(mine.get(scenario.name, scenario) for scenario in builtins),
        *(scenario for scenario in mine.values() if scenario.name not in names),
    )


def _listed(functions: Iterable[str]) -> str:
    """``sales, marketing and communications``."""
    words = list(functions)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
