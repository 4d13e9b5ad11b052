"""The process lens's unit×unit matrices: who hands work over to whom, and who needs whom, as
heatmaps drawn from :attr:`Analysis.process <orglens.lenses.Analysis.process>`.

Each builder is registered with :func:`~orglens.display.draws`, so that
``analysis.chart("handoffs")`` works in a notebook, and returns a :class:`~orglens.report.Chart`
whose figures are those of ``analysis.to_dict()["process"]``; an empty input gives a chart that
says what is missing. Units are the groups the process lens counts between (its ``level``),
named, kept and ordered as in every process chart (:mod:`~orglens.report.process_units`); big
matrices are cut to the largest units, the rest shown as "other".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from orglens.display import draws
from orglens.i18n import integer, listed, number, percent, t
from orglens.lenses import Analysis
from orglens.report.chart import Chart, DataTable
from orglens.report.draw_flow import Drawing
from orglens.report.draw_matrix import HeatmapText, heatmap, seriate
from orglens.report.process_units import (
    OTHER,
    chosen_source,
    drawn_chart,
    grouped_note,
    largest_units,
    message_chart,
    unit_namer,
    unit_order,
)

__all__ = ["coordination_chart", "handoffs_chart"]

#: Units drawn at most as matrix rows; the smallest others become "other".
MAX_UNITS = 12


def _k(key: str, /, **params: object) -> str:
    return t(f"charts_process.{key}", **params)


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
    show = unit_namer(analysis)
    volume: defaultdict[str, float] = defaultdict(float)
    for (source, target), value in values.items():
        volume[source] += value
        volume[target] += value
    kept = largest_units(volume, MAX_UNITS)
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
            [g for g in unit_order(analysis) if g in kept]
            + sorted(kept - set(unit_order(analysis))),
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
        note=grouped_note(grouped) if grouped else "",
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
    chosen = chosen_source(analysis, source)
    values: dict[tuple[str, str], float] = {}
    if chosen == "observed":
        if process.observed is None:
            return message_chart("handoffs", heading, _k("no_events"))
        values = {(p.source, p.target): p.count for p in process.observed.handoffs.pairs}
        cell_key, total_key = "cell_observed", "handoffs_observed_takeaway"
    else:
        if process.handoffs is None:
            return message_chart("handoffs", heading, _k("no_journey"))
        values = {(s, g): v for s, row in process.handoffs.matrix.items() for g, v in row.items()}
        cell_key, total_key = "cell_declared", "handoffs_declared_takeaway"
    if not values:
        return message_chart(
            "handoffs",
            heading,
            _k("no_units_in_log" if chosen == "observed" else "journey_no_handoff"),
        )
    drawing, table = _matrix_chart(
        analysis, "handoffs", heading, values, cell_key=cell_key, within_key="cell_within"
    )
    takeaway = _concentration(analysis, values, total_key)
    return drawn_chart("handoffs", heading, takeaway, drawing, table)


def _concentration(analysis: Analysis, values: Mapping[tuple[str, str], float], key: str) -> str:
    """How few unit pairs carry half the handoffs between units."""
    name = unit_namer(analysis)
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
        return message_chart("coordination", heading, _k("no_coordination"))
    values = {(s, g): v for s, row in coordination.matrix.items() for g, v in row.items()}
    drawing, table = _matrix_chart(
        analysis,
        "coordination",
        heading,
        values,
        cell_key="cell_need",
        within_key="cell_need_within",
    )
    name = unit_namer(analysis)
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
    return drawn_chart("coordination", heading, takeaway, drawing, table)
