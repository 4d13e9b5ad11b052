"""The process charts of the report: the journey, the funnel, the handoff and coordination
matrices, drawn from :attr:`Analysis.process <orglens.lenses.Analysis.process>`.

Each builder is registered with :func:`~orglens.display.draws`, so that
``analysis.chart("journey")`` works in a notebook, and returns a :class:`~orglens.report.Chart`
whose figures are those of ``analysis.to_dict()["process"]``; an empty input gives a chart that
says what is missing. Units are the groups the process lens counts between (its ``level``),
shown by their names; big inputs are cut to the largest units and activities, the rest shown
as "other".
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from itertools import pairwise

from orglens.display import draws
from orglens.errors import Problem, UsageError
from orglens.i18n import duration, integer, listed, number, percent, t
from orglens.lenses import Analysis
from orglens.lenses.journey import JourneyStep
from orglens.mining import Funnel, ObservedJourney
from orglens.report.chart import Chart, DataTable
from orglens.report.draw_flow import (
    Arc,
    Bar,
    Drawing,
    Lane,
    Link,
    Node,
    Row,
    arc_flow,
    funnel_bars,
    swimlane,
    wrap,
)
from orglens.report.draw_matrix import HeatmapText, heatmap, seriate
from orglens.report.svg import INK, PALETTE, colour, svg, text

__all__ = ["coordination_chart", "funnel_chart", "handoffs_chart", "journey_chart"]

#: Units drawn at most as lanes, nodes or matrix rows; the smallest others become "other".
MAX_LANES = 8
MAX_NODES = 8
MAX_UNITS = 12
#: Journey rows and funnel bars drawn at most.
MAX_ROWS = 24
MAX_BARS = 16
#: Arcs of the observed journey that carry a label (the largest); the others are drawn thin.
LABELLED_ARCS = 10
#: Arcs of the observed journey drawn at most (the largest); the table lists them all.
MAX_ARCS = 12
#: Units named in a note on what was folded into "other"; the rest counted.
GROUPED_NAMED = 5
#: A funnel stage reached by fewer cases than this share is drawn, but never the takeaway.
MIN_STAGE_SHARE = 0.01
OTHER = "\x00other"  # a key no unit id can be; shown as t("charts_process.other")
NO_UNIT = "\x00none"
GREY = "#8c959f"
SOURCES = ("auto", "declared", "observed")


def _k(key: str, /, **params: object) -> str:
    return t(f"charts_process.{key}", **params)


def _names(analysis: Analysis) -> Callable[[str], str]:
    """A unit id's display name (its name, with the id when two units share it)."""
    names = {unit.unit: unit.name or unit.unit for unit in analysis.hr.units}
    shared = {name for name, count in Counter(names.values()).items() if count > 1}
    special = {OTHER: _k("other"), NO_UNIT: _k("no_unit")}

    def name(unit: str) -> str:
        if unit in special:
            return special[unit]
        found = names.get(unit, unit)
        return f"{found} ({unit})" if found in shared else found

    return name


def _order(analysis: Analysis) -> list[str]:
    """Groups in the order of the declared journey, then the others: the same left-to-right
    order and the same colour for a unit in every process chart."""
    process = analysis.process
    found = dict.fromkeys(s.group for s in process.journey if s.group is not None)
    found.update(dict.fromkeys(process.groups))
    if process.observed is not None:
        for pair in sorted(process.observed.handoffs.pairs, key=lambda p: (p.source, p.target)):
            found.update(dict.fromkeys((pair.source, pair.target)))
    return list(found)


def _colours(analysis: Analysis, shown: Sequence[str]) -> Callable[[str], str]:
    """A colour for each unit ``shown``: its place in :func:`_order` while the palette lasts
    (the same unit, the same colour in every process chart), then the colours left over."""
    index = {group: number for number, group in enumerate(_order(analysis))}
    found: dict[str, str] = {}
    for group in shown:
        if group in index and index[group] < len(PALETTE):
            found[group] = colour(index[group])
    spare = iter(c for c in PALETTE if c not in found.values())
    for group in shown:
        if group not in found and group not in (OTHER, NO_UNIT):
            found[group] = next(spare, GREY)
    return lambda group: found.get(group, GREY)


def _grouped(names: Sequence[str]) -> str:
    """The units folded into "other", the first few by name."""
    shown = list(names[:GROUPED_NAMED])
    if len(names) > GROUPED_NAMED:
        shown.append(_k("n_more", n=len(names) - GROUPED_NAMED))
    return _k("grouped_units", units=listed(shown))


def _keep(volume: Mapping[str, float], most: int) -> set[str]:
    """The ``most`` units of largest volume (ties by id), or all when they fit."""
    if len(volume) <= most:
        return set(volume)
    ranked = sorted(volume, key=lambda unit: (-volume[unit], unit))
    return set(ranked[: most - 1])


def _short(seconds: float | None) -> str:
    """A wait in few characters: ``'45 min'``, ``'3.5 h'``, ``'14 d'``."""
    if seconds is None:
        return "–"
    for size, key in ((86400 * 2, "days"), (3600, "hours"), (60, "minutes")):
        if seconds >= size:
            amount = seconds / (86400 if key == "days" else size)
            return _k(
                f"short_{key}", n=number(round(amount, 1)) if amount < 10 else integer(amount)
            )
    return _k("short_seconds", n=integer(seconds))


def _message(name: str, heading: str, sentence: str) -> Chart:
    """The chart of an empty input: the sentence saying what is missing, no marks."""
    lines = wrap(sentence, 720, lines=3)
    drawing = svg(
        760,
        24 + 18 * len(lines),
        [text(line, x=8, y=22 + 18 * n, fill=INK) for n, line in enumerate(lines)],
        label=sentence,
    )
    return Chart(name, heading, sentence, drawing, DataTable((heading,), ()), 0)


def _chart(name: str, heading: str, takeaway: str, drawing: Drawing, table: DataTable) -> Chart:
    return Chart(name, heading, takeaway, drawing.svg, table, drawing.marks)


def _source(analysis: Analysis, source: str) -> str:
    """``"declared"`` or ``"observed"``: as asked, or for ``"auto"`` observed with events."""
    if source not in SOURCES:
        raise UsageError(Problem(f"unknown source {source!r}", f"use one of {', '.join(SOURCES)}"))
    if source == "auto":
        return "observed" if analysis.process.observed is not None else "declared"
    return source


# -- the journey ---------------------------------------------------------------------------


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
    chosen = _source(analysis, source)
    if chosen == "observed":
        return _observed_journey(analysis)
    return _declared_journey(analysis)


def _lanes(analysis: Analysis, steps: Sequence[JourneyStep]) -> list[str]:
    """The lane (a group, "other" or "no unit") of each step."""
    volume: defaultdict[str, float] = defaultdict(float)
    for step in steps:
        if step.group is not None:
            volume[step.group] += step.volume_used
    kept = _keep(volume, MAX_LANES - any(s.group is None for s in steps))
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
    process, name = analysis.process, _names(analysis)
    heading = _k("journey_title")
    steps, handoffs = process.journey, process.handoffs
    if not steps or handoffs is None:
        return _message("journey", heading, _k("no_journey"))
    lane_of = _lanes(analysis, steps)
    order = [g for g in _order(analysis) if g in lane_of] + [
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
    return _chart(
        "journey", heading, _declared_takeaway(analysis), drawing, _declared_table(steps, name)
    )


def _row(
    analysis: Analysis, members: Sequence[JourneyStep], lane: int, *, other: bool = False
) -> Row:
    name = _names(analysis)
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
    handoffs, name = analysis.process.handoffs, _names(analysis)
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
        return _message("journey", heading, _k("no_events"))
    name = _names(analysis)
    volume: defaultdict[str, float] = defaultdict(float)
    for pair in observed.handoffs.pairs:
        volume[pair.source] += pair.count
        volume[pair.target] += pair.count
    if not volume:
        return _message("journey", heading, _k("no_units_in_log"))
    kept = _keep(volume, MAX_NODES)
    node_of = {unit: unit if unit in kept else OTHER for unit in volume}
    order = [g for g in _order(analysis) if g in kept]
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
        table.append((route, integer(counts[key]), _short(p50), _short(p95)))
        if key not in drawn:
            continue
        lines: tuple[str, ...] = ()
        if drawn.index(key) < LABELLED_ARCS:
            lines = (_k("handoffs_n", n=integer(counts[key])),)
            lines += (_k("wait_line", p50=_short(p50), p95=_short(p95)),) if only else ()
        tip = _k("arc_tip", route=route, n=integer(counts[key]), p50=_short(p50), p95=_short(p95))
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
        notes.append(_grouped(sorted(name(u) for u in volume if u not in kept)))
    drawing = arc_flow(nodes, arcs, caption=" ".join(notes), label=heading)
    header = (_k("col_route"), _k("col_handoffs"), _k("col_p50"), _k("col_p95"))
    return _chart(
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
    name = _names(analysis)
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


# -- the funnel ----------------------------------------------------------------------------


@draws(Analysis, "funnel")
def funnel_chart(analysis: Analysis, /) -> Chart:
    """The funnel with its drop-offs: the event log's funnel by the journey's stages (or by the
    log's activities when none of the journey's is in the log); without events the declared
    journey's volume entering each stage. Up to :data:`MAX_BARS` stages, the largest.

    >>> from orglens.lenses import analyze
    >>> from orglens.model import JourneyActivity, Organization, Person
    >>> org = Organization(people=[Person(id="m", unit="Marketing")], journey=[
    ...     JourneyActivity(order=1, stage="Lead", activity="Form", unit="Marketing",
    ...                     volume_per_year=1000),
    ...     JourneyActivity(order=2, stage="Deal", activity="Demo", unit="Marketing",
    ...                     volume_per_year=250)])
    >>> funnel_chart(analyze(org)).takeaway
    'The largest drop-off is between Lead and Deal: 75% of the declared volume goes no further.'
    """
    heading = _k("funnel_title")
    observed = analysis.process.observed
    if observed is not None and observed.funnel is not None and observed.funnel.stages:
        return _observed_funnel(heading, observed.funnel, declared=bool(analysis.process.journey))
    entering: dict[str, float] = {}
    for step in analysis.process.journey:
        entering.setdefault(step.stage, step.volume_used)
    if not entering:
        return _message("funnel", heading, _k("no_funnel"))
    stages = list(entering.items())
    # the share of a stage's volume that does not enter the next (none when the volume grows)
    lost: list[float | None] = [None]
    lost += [
        1 - after / before if before > 0 and after <= before else None
        for (_, before), (_, after) in pairwise(stages)
    ]
    ranked = sorted(range(len(stages)), key=lambda i: (-stages[i][1], i))
    shown = sorted(ranked[:MAX_BARS])
    drops = [(share, i) for i, share in enumerate(lost) if share is not None]
    worst = max(drops, key=lambda d: (d[0], -d[1]))[1] if drops else None
    bars = []
    for position, index in enumerate(shown):
        stage, volume = stages[index]
        share = lost[index] if position and shown[position - 1] == index - 1 else None
        drop = None if share is None else _k("drop", share=percent(share))
        tip = _k("stage_declared_tip", stage=stage, n=integer(volume))
        bars.append(Bar(stage, volume, integer(volume), tip, drop, stress=index == worst))
    table = tuple(
        (stage, integer(volume), "" if share is None else percent(share))
        for (stage, volume), share in zip(stages, lost, strict=True)
    )
    if worst is None:
        takeaway = _k("funnel_no_drop")
    else:
        takeaway = _k(
            "funnel_declared_takeaway",
            before=stages[worst - 1][0],
            after=stages[worst][0],
            share=percent(lost[worst] or 0.0),
        )
    caption = _k("funnel_declared_caption")
    if len(shown) < len(stages):
        caption += " " + _k("grouped_stages", n=len(stages) - len(shown))
    drawing = funnel_bars(bars, caption=caption, label=heading)
    header = (_k("col_stage"), _k("col_volume"), _k("col_drop"))
    return _chart("funnel", heading, takeaway, drawing, DataTable(header, table))


def _stress(bar: Bar) -> Bar:
    return Bar(bar.label, bar.value, bar.value_text, bar.tooltip, bar.drop, stress=True)


def _observed_funnel(heading: str, funnel: Funnel, *, declared: bool) -> Chart:
    stages = funnel.stages
    ranked = sorted(range(len(stages)), key=lambda i: (-stages[i].cases, i))
    shown = sorted(ranked[:MAX_BARS])
    bars, table, drops = [], [], []
    for position, index in enumerate(shown):
        stage = stages[index]
        follows = position > 0 and shown[position - 1] == index - 1
        lost = None if stage.conversion is None or not follows else 1 - stage.conversion
        drop = None
        if lost is not None and not stage.cases_from_previous:
            # no case went on from the stage above: another path (an end, a branch), no drop
            lost, drop = None, _k("other_path")
        elif lost is not None:
            drops.append((lost, position))
            drop = _k("drop_time", share=percent(lost), time=_short(stage.from_previous_s_p50))
        share = percent(stage.share) if stage.share is not None else "–"
        tip = _k("stage_tip", stage=stage.stage, n=integer(stage.cases), share=share)
        bars.append(Bar(stage.stage, stage.cases, f"{integer(stage.cases)} · {share}", tip, drop))
        table.append(
            (
                stage.stage,
                integer(stage.cases),
                share,
                "" if stage.conversion is None else percent(stage.conversion),
                "" if lost is None else percent(lost),
                _short(stage.from_previous_s_p50) if stage.conversion is not None else "",
                _short(stage.from_previous_s_p95) if stage.conversion is not None else "",
            )
        )
    hidden = [stages[i].stage for i in ranked[MAX_BARS:]]
    caption = _k(
        "funnel_caption"
        if funnel.source == "journey"
        else "funnel_activity_caption"
        if declared
        else "funnel_log_caption"
    )
    if hidden:
        caption += " " + _k("grouped_stages", n=len(hidden))
        table.append((_k("other_stages", n=len(hidden)), "", "", "", "", "", listed(hidden[:5])))
    real = [d for d in drops if d[0] > 0 and (stages[shown[d[1]]].share or 0) >= MIN_STAGE_SHARE]
    if not real:
        takeaway = _k("funnel_no_drop")
    else:
        lost, at = max(real, key=lambda d: (d[0], -d[1]))
        bars[at] = _stress(bars[at])
        takeaway = _k(
            "funnel_takeaway", before=bars[at - 1].label, after=bars[at].label, share=percent(lost)
        )
    drawing = funnel_bars(bars, caption=caption, label=heading)
    header = (
        _k("col_stage"),
        _k("col_cases"),
        _k("col_share"),
        _k("col_conversion"),
        _k("col_drop"),
        _k("col_p50"),
        _k("col_p95"),
    )
    return _chart("funnel", heading, takeaway, drawing, DataTable(header, tuple(table)))


# -- the matrices --------------------------------------------------------------------------


def _matrix_chart(
    analysis: Analysis,
    name: str,
    heading: str,
    values: Mapping[tuple[str, str], float],
    *,
    cell_key: str,
    within_key: str,
) -> tuple[Drawing, DataTable]:
    """The heatmap of ``values`` (unit pairs): the :data:`MAX_UNITS` largest units in seriation
    order, the rest as "other" last; the table lists every cell drawn, largest first."""
    show = _names(analysis)
    volume: defaultdict[str, float] = defaultdict(float)
    for (source, target), value in values.items():
        volume[source] += value
        volume[target] += value
    kept = _keep(volume, MAX_UNITS)
    folded: defaultdict[tuple[str, str], float] = defaultdict(float)
    among_other = 0.0
    for (source, target), value in values.items():
        key = (source if source in kept else OTHER, target if target in kept else OTHER)
        if key == (OTHER, OTHER) and source != target:
            # between two of the smaller units: neither within a unit nor a cell of its own
            among_other += value
            continue
        folded[key] += value
    order = list(
        seriate(
            [g for g in _order(analysis) if g in kept] + sorted(kept - set(_order(analysis))),
            folded,
        )
    )
    if len(kept) < len(volume):
        order.append(OTHER)
    labels = {unit: show(unit) for unit in order}

    def title_of(row: str, column: str, value: float) -> str:
        if row == column:
            return _k(within_key, unit=labels[row], n=integer(value))
        return _k(cell_key, source=labels[row], target=labels[column], n=integer(value))

    grouped = sorted(show(u) for u in volume if u not in kept)
    words = HeatmapText(
        _k("axis_from"),
        _k("axis_to"),
        _k("legend_cross"),
        _k("legend_within"),
        heading,
        note=_grouped(grouped) if grouped else "",
    )
    drawing = heatmap(
        order, folded, names=labels, words=words, value_text=integer, cell_title=title_of
    )
    cells = sorted(
        folded.items(), key=lambda kv: (-kv[1], order.index(kv[0][0]), order.index(kv[0][1]))
    )
    rows = tuple(
        (labels[r], labels[c], integer(v), _k("kind_within" if r == c else "kind_cross"))
        for (r, c), v in cells
        if v > 0
    )
    if among_other:
        rows += ((labels[OTHER], labels[OTHER], integer(among_other), _k("kind_among_other")),)
    header = (_k("col_from"), _k("col_to"), _k(f"col_{name}"), _k("col_kind"))
    return drawing, DataTable(header, rows)


@draws(Analysis, "handoffs")
def handoffs_chart(analysis: Analysis, /, *, source: str = "auto") -> Chart:
    """The unit×unit handoff matrix as a heatmap: rows hand over to columns. ``"observed"``:
    the event log's steps between units, and within each unit on the diagonal; ``"declared"``:
    the declared journey's handoffs a year (between units only); ``"auto"``: observed when there
    is an event log. Units in seriation order (:func:`~orglens.report.draw_matrix.seriate`).

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
    >>> handoffs_chart(analyze(org)).table.rows
    (('Marketing', 'Sales', '200', 'between units'),)
    """
    process = analysis.process
    heading = _k("handoffs_title")
    chosen = _source(analysis, source)
    values: dict[tuple[str, str], float] = {}
    if chosen == "observed":
        if process.observed is None:
            return _message("handoffs", heading, _k("no_events"))
        values = {(p.source, p.target): p.count for p in process.observed.handoffs.pairs}
        cell_key, total_key = "cell_observed", "handoffs_observed_takeaway"
    else:
        if process.handoffs is None:
            return _message("handoffs", heading, _k("no_journey"))
        values = {(s, g): v for s, row in process.handoffs.matrix.items() for g, v in row.items()}
        cell_key, total_key = "cell_declared", "handoffs_declared_takeaway"
    if not values:
        return _message(
            "handoffs",
            heading,
            _k("no_units_in_log" if chosen == "observed" else "journey_no_handoff"),
        )
    drawing, table = _matrix_chart(
        analysis, "handoffs", heading, values, cell_key=cell_key, within_key="cell_within"
    )
    takeaway = _concentration(analysis, values, total_key)
    return _chart("handoffs", heading, takeaway, drawing, table)


def _concentration(analysis: Analysis, values: Mapping[tuple[str, str], float], key: str) -> str:
    """How few unit pairs carry half the handoffs between units."""
    name = _names(analysis)
    cross = sorted(
        ((v, s, g) for (s, g), v in values.items() if s != g and v > 0),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    total = sum(v for v, *_ in cross)
    if not cross:
        return _k("observed_no_handoff")
    carried, taken = 0.0, []
    for value, source, target in cross:
        taken.append(f"{name(source)} → {name(target)}")
        carried += value
        if carried >= total / 2:
            break
    form = "one" if len(taken) == 1 else "many"
    return _k(
        f"{key}_{form}",
        pairs=listed(taken),
        n=len(taken),
        share=percent(carried / total),
        total=integer(total),
    )


@draws(Analysis, "coordination")
def coordination_chart(analysis: Analysis, /) -> Chart:
    """The declared coordination needs as a unit×unit heatmap (rows need columns), the
    within-unit needs on the diagonal, units in seriation order.

    >>> from orglens.lenses import analyze
    >>> from orglens.model import CoordinationNeed, Organization, Person
    >>> org = Organization(
    ...     people=[Person(id="m", unit="Marketing"), Person(id="s", unit="Sales")],
    ...     coordination=[CoordinationNeed(source="m", target="Sales", weight=3),
    ...                   CoordinationNeed(source="Marketing", target="m", weight=1)])
    >>> print(coordination_chart(analyze(org)).takeaway)  # doctest: +NORMALIZE_WHITESPACE
    75% of the declared coordination crosses unit lines; the heaviest need is
    Marketing → Sales (3).
    """
    heading = _k("coordination_title")
    coordination = analysis.process.coordination
    if not coordination.needs or coordination.cross_unit_share is None:
        return _message("coordination", heading, _k("no_coordination"))
    values = {(s, g): v for s, row in coordination.matrix.items() for g, v in row.items()}
    drawing, table = _matrix_chart(
        analysis,
        "coordination",
        heading,
        values,
        cell_key="cell_need",
        within_key="cell_need_within",
    )
    name = _names(analysis)
    cross = [(v, s, g) for (s, g), v in values.items() if s != g]
    if cross:
        value, source, target = max(cross, key=lambda c: (c[0], c[1], c[2]))
        takeaway = _k(
            "coordination_takeaway",
            share=percent(coordination.cross_unit_share),
            source=name(source),
            target=name(target),
            n=number(value),
        )
    else:
        takeaway = _k("coordination_within_only")
    return _chart("coordination", heading, takeaway, drawing, table)
