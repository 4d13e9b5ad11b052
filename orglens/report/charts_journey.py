"""The customer journey chart: the declared journey as swimlanes, or the event log's units
with their handoffs as arcs, drawn from :attr:`Analysis.process <orglens.lenses.Analysis.process>`.

The builder is registered with :func:`~orglens.display.draws`, so that
``analysis.chart("journey")`` works in a notebook, and returns a :class:`~orglens.report.Chart`
whose figures are those of ``analysis.to_dict()["process"]``; an empty input gives a chart that
says what is missing. Units are the groups the process lens counts between (its ``level``),
named, kept and ordered as in every process chart (:mod:`~orglens.report.process_units`); big
journeys are cut to the largest units and activities, the rest shown as "other".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from itertools import pairwise

from orglens.display import draws
from orglens.i18n import duration, integer, listed, number, t
from orglens.lenses import Analysis
from orglens.lenses.journey import JourneyStep
from orglens.mining import ObservedJourney
from orglens.report.chart import Chart, DataTable
from orglens.report.draw_arcs import Arc, Node, arc_flow
from orglens.report.draw_flow import Lane, Link, Row, swimlane
from orglens.report.process_units import (
    NO_UNIT,
    OTHER,
    chosen_source,
    drawn_chart,
    grouped_note,
    largest_units,
    message_chart,
    short_wait,
    unit_namer,
    unit_order,
)
from orglens.report.svg import PALETTE, colour

__all__ = ["journey_chart"]

#: Units drawn at most as lanes or nodes; the smallest others become "other".
MAX_LANES = 8
MAX_NODES = 8
#: Journey rows drawn at most.
MAX_ROWS = 24
#: Arcs of the observed journey that carry a label (the largest); the others are drawn thin.
LABELLED_ARCS = 10
#: Arcs of the observed journey drawn at most (the largest); the table lists them all.
MAX_ARCS = 12
#: The colour of "other", of no unit, and of the units the palette has no colour left for.
GREY = "#8c959f"


def _k(key: str, /, **params: object) -> str:
    return t(f"charts_process.{key}", **params)


def _colours(analysis: Analysis, shown: Sequence[str]) -> Callable[[str], str]:
    """A colour for each unit ``shown``: its place in :func:`unit_order` while the palette lasts
    (the same unit, the same colour in the declared and the observed journey), then the colours
    left over."""
    index = {group: number for number, group in enumerate(unit_order(analysis))}
    found: dict[str, str] = {}
    for group in shown:
        if group in index and index[group] < len(PALETTE):
            found[group] = colour(index[group])
    spare = iter(c for c in PALETTE if c not in found.values())
    for group in shown:
        if group not in found and group not in (OTHER, NO_UNIT):
            found[group] = next(spare, GREY)
    return lambda group: found.get(group, GREY)


@draws(Analysis, "journey")
def journey_chart(analysis: Analysis, /, *, source: str = "auto") -> Chart:
    """The customer journey as a flow coloured by unit.

    ``source="declared"``: the declared journey top to bottom, one row per activity in the lane
    of the unit doing it, stages as bands, each handoff between units labelled with its volume a
    year. ``"observed"``: the units of the event log with their handoffs as arcs, labelled with
    the count and the median and p95 wait. ``"auto"`` (default): observed when there is an event
    log. Up to :data:`MAX_LANES` lanes and :data:`MAX_ROWS` rows; the rest grouped as "other".

    Examples
    --------
    >>> from orglens.lenses import analyze
    >>> from orglens.model import JourneyActivity, Organization, Person
    >>> org = Organization(
    ...     people=[Person(id="m", unit="Marketing"), Person(id="s", unit="Sales")],
    ...     journey=[
    ...         JourneyActivity(order=1, stage="Lead", activity="Campaign", unit="Marketing",
    ...                         volume_per_year=1000),
    ...         JourneyActivity(order=2, stage="Deal", activity="Demo", unit="Sales",
    ...                         volume_per_year=200),
    ...     ],
    ... )
    >>> chart = journey_chart(analyze(org))
    >>> chart.marks
    3
    >>> print(chart.takeaway)  # doctest: +NORMALIZE_WHITESPACE
    A case is handed between units 0.2 times on the declared journey (1 of 1 steps cross a
    unit line); the largest handoff is Marketing → Sales, 200 a year.
    """
    chosen = chosen_source(analysis, source)
    if chosen == "observed":
        return _observed_journey(analysis)
    return _declared_journey(analysis)


def _lanes(analysis: Analysis, steps: Sequence[JourneyStep]) -> list[str]:
    """The lane (a group, "other" or "no unit") of each step."""
    volume: defaultdict[str, float] = defaultdict(float)
    for step in steps:
        if step.group is not None:
            volume[step.group] += step.volume_used
    kept = largest_units(volume, MAX_LANES - any(s.group is None for s in steps))
    return [NO_UNIT if s.group is None else s.group if s.group in kept else OTHER for s in steps]


def _rows_of(steps: Sequence[JourneyStep], lanes: Sequence[str]) -> list[int]:
    """The row of each step: its own, or when there are more than :data:`MAX_ROWS` steps, one
    row for a run of steps of a stage in one lane (no handoff is hidden), then one row for the
    smallest steps of each stage still too many."""
    rows = list(range(len(steps)))
    if len(steps) <= MAX_ROWS:
        return rows
    row = 0
    for index in range(1, len(steps)):
        same = (steps[index].stage, lanes[index]) == (steps[index - 1].stage, lanes[index - 1])
        row += 0 if same else 1
        rows[index] = row
    while rows[-1] + 1 > MAX_ROWS:
        # fold the two smallest rows of the stage with the most rows into one
        by_stage: defaultdict[str, list[int]] = defaultdict(list)
        for index, step in enumerate(steps):
            if rows[index] not in by_stage[step.stage]:
                by_stage[step.stage].append(rows[index])
        stage = max(by_stage, key=lambda s: (len(by_stage[s]), s))
        if len(by_stage[stage]) < 2:
            break
        size = {
            r: sum(s.volume_used for i, s in enumerate(steps) if rows[i] == r)
            for r in by_stage[stage]
        }
        small = sorted(by_stage[stage], key=lambda r: (size[r], r))[:2]
        keep, drop = min(small), max(small)
        rows = [keep if r == drop else r - (r > drop) for r in rows]
    return rows


def _declared_journey(analysis: Analysis) -> Chart:
    process, name = analysis.process, unit_namer(analysis)
    heading = _k("journey_title")
    steps, handoffs = process.journey, process.handoffs
    if not steps or handoffs is None:
        return message_chart("journey", heading, _k("no_journey"))
    lane_of = _lanes(analysis, steps)
    order = [g for g in unit_order(analysis) if g in lane_of] + [
        key for key in (OTHER, NO_UNIT) if key in lane_of
    ]
    paint = _colours(analysis, order)
    lanes = [Lane(name(g), paint(g)) for g in order]
    row_of = _rows_of(steps, lane_of)
    members: defaultdict[int, list[int]] = defaultdict(list)
    for index, row in enumerate(row_of):
        members[row].append(index)
    rows = [
        _row(
            analysis,
            [steps[i] for i in members[r]],
            order.index(lane_of[members[r][0]]),
            other=lane_of[members[r][0]] == OTHER,
        )
        for r in sorted(members)
    ]
    links = _links(steps, row_of, name)
    grouped = len(steps) - len(rows)
    caption = _k("journey_caption") + (" " + _k("grouped_rows", n=grouped) if grouped else "")
    drawing = swimlane(lanes, rows, links, caption=caption, label=heading)
    return drawn_chart(
        "journey", heading, _declared_takeaway(analysis), drawing, _declared_table(steps, name)
    )


def _row(
    analysis: Analysis, members: Sequence[JourneyStep], lane: int, *, other: bool = False
) -> Row:
    name = unit_namer(analysis)
    first = members[0]
    volume = sum(s.volume_used for s in members) if len(members) > 1 else first.volume_used
    unit = "" if first.unit is None or first.unit == first.group else name(first.unit)
    if other:
        unit = name(first.unit or NO_UNIT)
    if len(members) == 1:
        tip = _k(
            "activity_tip",
            activity=first.activity,
            unit=name(first.unit or NO_UNIT),
            stage=first.stage,
            volume=integer(first.volume_used),
        )
        return Row(
            lane,
            first.stage,
            first.activity,
            unit,
            integer(volume),
            tip,
            dashed=first.group is None,
        )
    names = listed([s.activity for s in members])
    return Row(
        lane,
        first.stage,
        _k("activities_n", first=first.activity, n=len(members) - 1),
        "",
        integer(volume),
        _k("activities_tip", names=names, stage=first.stage),
        dashed=True,
    )


def _links(
    steps: Sequence[JourneyStep], row_of: Sequence[int], name: Callable[[str], str]
) -> list[Link]:
    """One link per pair of rows that consecutive activities of the chain (those with a unit)
    join; a transition happens ``min(v_i, v_i+1)`` times a year (the process lens's
    definition), summed over the handoffs between units it carries."""
    chain = [i for i, step in enumerate(steps) if step.group is not None]
    flows: dict[tuple[int, int], list[tuple[str, str, float]]] = {}
    for before, after in pairwise(chain):
        key = (row_of[before], row_of[after])
        if key[0] == key[1]:
            continue
        a, b = steps[before], steps[after]
        assert a.group is not None and b.group is not None
        flows.setdefault(key, [])
        if a.group != b.group:
            flows[key].append((a.group, b.group, min(a.volume_used, b.volume_used)))
    links = []
    for (source, target), crossing in flows.items():
        flow = sum(value for *_, value in crossing)
        if crossing:
            pairs = listed([f"{name(a)} → {name(b)}" for a, b, _ in crossing])
            tip = _k("handoff_tip", pairs=pairs, n=integer(flow))
            label = _k("per_year", n=integer(flow))
        else:
            tip, label = _k("within_tip"), ""
        links.append(Link(source, target, flow, bool(crossing), label, tip))
    return links


def _declared_takeaway(analysis: Analysis) -> str:
    handoffs, name = analysis.process.handoffs, unit_namer(analysis)
    assert handoffs is not None
    cells = [(v, s, g) for s, row in handoffs.matrix.items() for g, v in row.items()]
    if not cells or handoffs.cross_unit_handoffs_per_case is None:
        return _k("journey_no_handoff")
    value, source, target = max(cells, key=lambda c: (c[0], c[1], c[2]))
    return _k(
        "journey_takeaway",
        per_case=number(round(handoffs.cross_unit_handoffs_per_case, 2)),
        cross=handoffs.cross_unit_transitions,
        transitions=handoffs.transitions,
        source=name(source),
        target=name(target),
        n=integer(value),
    )


def _declared_table(steps: Sequence[JourneyStep], name: Callable[[str], str]) -> DataTable:
    rows = []
    previous: JourneyStep | None = None
    for step in steps:
        handoff = ""
        if step.group is not None:
            if previous is not None and previous.group != step.group:
                assert previous.group is not None
                handoff = _k(
                    "from_unit",
                    unit=name(previous.group),
                    n=integer(min(previous.volume_used, step.volume_used)),
                )
            previous = step
        rows.append(
            (
                step.activity,
                step.stage,
                name(step.unit or NO_UNIT),
                integer(step.volume_used),
                handoff,
            )
        )
    header = (
        _k("col_activity"),
        _k("col_stage"),
        _k("col_unit"),
        _k("col_volume"),
        _k("col_handoff_in"),
    )
    return DataTable(header, tuple(rows))


def _observed_journey(analysis: Analysis) -> Chart:
    heading = _k("journey_observed_title")
    observed = analysis.process.observed
    if observed is None:
        return message_chart("journey", heading, _k("no_events"))
    name = unit_namer(analysis)
    volume: defaultdict[str, float] = defaultdict(float)
    for pair in observed.handoffs.pairs:
        volume[pair.source] += pair.count
        volume[pair.target] += pair.count
    if not volume:
        return message_chart("journey", heading, _k("no_units_in_log"))
    kept = largest_units(volume, MAX_NODES)
    node_of = {unit: unit if unit in kept else OTHER for unit in volume}
    order = [g for g in unit_order(analysis) if g in kept]
    order += [OTHER] if len(kept) < len(volume) else []
    paint = _colours(analysis, order)
    counts: defaultdict[tuple[str, str], int] = defaultdict(int)
    members: defaultdict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    within: defaultdict[str, int] = defaultdict(int)
    for pair in observed.handoffs.pairs:
        key = (node_of[pair.source], node_of[pair.target])
        if not pair.cross_unit:
            within[key[0]] += pair.count
        else:
            # handoffs among the units folded into "other" are a loop on "other": listed only
            counts[key] += pair.count
            members[key].append((pair.source, pair.target))
    ranked = sorted(counts, key=lambda k: (-counts[k], order.index(k[0]), order.index(k[1])))
    drawn = [key for key in ranked if key[0] != key[1]][:MAX_ARCS]
    waits = _waits(observed)
    arcs, table = [], []
    for key in ranked:
        only = members[key][0] if len(members[key]) == 1 else None
        p50, p95 = waits.get(only, (None, None)) if only else (None, None)
        route = f"{name(key[0])} → {name(key[1])}"
        table.append((route, integer(counts[key]), short_wait(p50), short_wait(p95)))
        if key not in drawn:
            continue
        lines: tuple[str, ...] = ()
        if drawn.index(key) < LABELLED_ARCS:
            lines = (_k("handoffs_n", n=integer(counts[key])),)
            lines += (_k("wait_line", p50=short_wait(p50), p95=short_wait(p95)),) if only else ()
        tip = _k(
            "arc_tip", route=route, n=integer(counts[key]), p50=short_wait(p50), p95=short_wait(p95)
        )
        arcs.append(Arc(order.index(key[0]), order.index(key[1]), counts[key], lines, tip))
    nodes = [
        Node(
            name(g),
            paint(g),
            _k(
                "node_tip",
                unit=name(g),
                within=integer(within[g]),
                out=integer(sum(counts[k] for k in counts if k[0] == g)),
                into=integer(sum(counts[k] for k in counts if k[1] == g)),
            ),
        )
        for g in order
    ]
    notes = [_k("observed_caption")]
    if len(ranked) > len(drawn):
        notes.append(_k("arcs_in_table", n=len(ranked) - len(drawn)))
    if len(kept) < len(volume):
        notes.append(grouped_note(sorted(name(u) for u in volume if u not in kept)))
    drawing = arc_flow(nodes, arcs, caption=" ".join(notes), label=heading)
    header = (_k("col_route"), _k("col_handoffs"), _k("col_p50"), _k("col_p95"))
    return drawn_chart(
        "journey",
        heading,
        _observed_takeaway(analysis, observed),
        drawing,
        DataTable(header, tuple(table)),
    )


def _waits(observed: ObservedJourney) -> dict[tuple[str, str], tuple[float | None, float | None]]:
    """The median and p95 wait of each cross-unit pair (the handoff SLA's figures)."""
    if observed.handoff_sla is not None:
        return {
            (p.source, p.target): (p.wait_s_p50, p.wait_s_p95) for p in observed.handoff_sla.pairs
        }
    return {(p.source, p.target): (p.wait_s_median, None) for p in observed.handoffs.pairs}


def _observed_takeaway(analysis: Analysis, observed: ObservedJourney) -> str:
    name = unit_namer(analysis)
    cross = [p for p in observed.handoffs.pairs if p.cross_unit]
    if not cross or observed.cross_unit_handoffs_per_case is None:
        return _k("observed_no_handoff")
    top = max(cross, key=lambda p: (p.count, p.source, p.target))
    p50, p95 = _waits(observed).get((top.source, top.target), (None, None))
    within = observed.handoffs.within.wait_s_median
    return _k(
        "observed_takeaway",
        per_case=number(round(observed.cross_unit_handoffs_per_case, 2)),
        cross=duration(observed.handoffs.cross.wait_s_median or 0.0),
        within=_long(within),
        source=name(top.source),
        target=name(top.target),
        n=integer(top.count),
        p50=_long(p50),
        p95=_long(p95),
    )


def _long(seconds: float | None) -> str:
    return "–" if seconds is None else duration(seconds)
