"""The scorecard of the comparison (designs × measures, the best value of each measure
marked), and how the comparison charts word a measure's value and a design's standing.

Every figure comes from the :class:`~orglens.workspace.Comparison` the JSON output prints: the
scorecard's metric values and the recommendation's ranking and front (designs are only compared
with one another to mark the best value of a measure); every word from the ``charts_compare``
catalogue (designs and metric groups are named as the report names them). The trade-offs at a
glance are :mod:`~orglens.report.charts_tradeoffs`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from orglens.advice import Recommendation
from orglens.display import draws
from orglens.i18n import duration, integer, listed, number, points, t
from orglens.model import METRIC_GROUPS
from orglens.report.chart import Chart, DataTable
from orglens.report.charts_budget import money
from orglens.report.draw_bars import WIDTH, bar, empty_chart, truncate, wrap
from orglens.report.labels import design_label, group_label, metric_label
from orglens.report.svg import INK, MUTED, colour, element, literal, svg, text, title
from orglens.scenarios import Metric, ScenarioScore
from orglens.workspace import Comparison

__all__ = [
    "ACCENT",
    "GREY",
    "TRACK",
    "design_status",
    "group_title",
    "metric_value",
    "scorecard_chart",
]

#: The comparison charts' colours: the recommended design, a dominated design, a bar's track.
ACCENT = colour(0)
GREY = "#b8bfc6"
TRACK = "#e8ecf0"
#: The shade behind the best value of a measure.
BEST_FILL = "#d6e9f5"
#: Designs drawn at most (the recommended and the best ranked; the table keeps every design).
MAX_DESIGNS = 9

_PERCENT = {
    "coordination_cross_unit_share",
    "discipline_fit",
    "competence_dispersion",
    "accountability_share",
}
_COUNTS = {
    "max_span",
    "spans_out_of_range",
    "layers",
    "people_moved",
    "managers_changed",
    "managers_gaining_or_losing_reports",
    "new_manager_roles",
}


def metric_value(key: str, value: float | None, currency: str, *, short: bool = False) -> str:
    """A metric's value as a reader reads it: shares in percent, waits as durations (``short``:
    with the unit abbreviated, for a cell), the cost in ``currency``, counts whole; ``–`` when
    it was not measured.

    >>> metric_value("discipline_fit", 0.746575, "SEK"), metric_value("layers", 5, "SEK")
    ('74.7%', '5')
    >>> wait = 71733.7
    >>> metric_value("expected_handoff_wait_s", wait, "SEK"), metric_value(
    ...     "expected_handoff_wait_s", wait, "SEK", short=True)
    ('19.9 hours', '19.9 h')
    """
    if value is None:
        return "–"
    if key in _PERCENT:
        return t("charts_compare.percent", n=points(value))
    if key.endswith("_s"):
        return _short_duration(value) if short else duration(value)
    if key.endswith("_cost"):
        return money(value, currency)
    if key in _COUNTS:
        return integer(value)
    return number(value)


def _short_duration(seconds: float) -> str:
    """``duration``'s amount with its unit abbreviated: ``5400`` → ``'1.5 h'``."""
    long = duration(seconds)
    amount = long.split(" ", 1)[0]
    unit = (
        "seconds"
        if seconds < 60
        else "minutes"
        if seconds < 3600
        else "hours"
        if seconds < 48 * 3600
        else "days"
    )
    return t(f"charts_compare.short_{unit}", n=amount)


def design_status(
    name: str, recommendation: Recommendation, scenarios: Mapping[str, ScenarioScore]
) -> str:
    """The standing of the design ``name``, worded: recommended, runner-up, on the Pareto
    front, or dominated by whom."""
    if name == recommendation.recommended:
        return t("charts_compare.status_recommended")
    if name == recommendation.runner_up:
        return t("charts_compare.status_runner_up")
    if name in recommendation.pareto:
        return t("charts_compare.status_front")
    beaten_by = scenarios[name].dominated_by if name in scenarios else ()
    if beaten_by:
        return t(
            "charts_compare.status_dominated", by=listed([design_label(d) for d in beaten_by[:2]])
        )
    return t("charts_compare.status_off_front")


def _standing(
    name: str, recommendation: Recommendation, scenarios: Mapping[str, ScenarioScore]
) -> str:
    """The scorecard's note under a design: only what sets it apart (on the front is common;
    the recommended design is starred in the legend and bold)."""
    if name == recommendation.recommended:
        return "★"
    if name == recommendation.runner_up or name not in recommendation.pareto:
        return design_status(name, recommendation, scenarios)
    return ""


def group_title(group: str) -> str:
    """The metric group ``group`` as a heading or a column names it: with a capital."""
    words = group_label(group)
    return words[:1].upper() + words[1:]


def _currency(comparison: Comparison) -> str:
    return comparison.scenarios[0].analysis.currency if comparison.scenarios else ""


# -- the scorecard ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _MetricRow:
    metric: Metric
    values: tuple[float | None, ...]
    best: frozenset[int]
    worst: frozenset[int]


def _metric_rows(metrics: Sequence[Metric], designs: Sequence[ScenarioScore]) -> list[_MetricRow]:
    rows = []
    for metric in metrics:
        values = tuple(design.metrics.get(metric.key) for design in designs)
        known = {index: float(v) for index, v in enumerate(values) if v is not None}
        best: frozenset[int] = frozenset()
        worst: frozenset[int] = frozenset()
        if len(set(known.values())) > 1:
            pick = max if metric.better == "higher" else min
            drop = min if metric.better == "higher" else max
            top, bottom = pick(known.values()), drop(known.values())
            best = frozenset(i for i, v in known.items() if v == top)
            worst = frozenset(i for i, v in known.items() if v == bottom)
        rows.append(_MetricRow(metric, values, best, worst))
    return rows


def _grouped(metrics: Sequence[Metric]) -> list[tuple[str, list[Metric]]]:
    """The metrics under the recommendation's groups, in their order; the rest under "other"."""
    by_key = {metric.key: metric for metric in metrics}
    found = [
        (group, [by_key[key] for key in keys if key in by_key])
        for group, keys in METRIC_GROUPS.items()
    ]
    grouped = {key for keys in METRIC_GROUPS.values() for key in keys}
    found.append(("", [metric for metric in metrics if metric.key not in grouped]))
    return [(group, members) for group, members in found if members]


def _shown_designs(comparison: Comparison) -> list[ScenarioScore]:
    """Every design, or when there are too many, the best ranked (and today's) in their order."""
    scenarios = list(comparison.scenarios)
    if len(scenarios) <= MAX_DESIGNS:
        return scenarios
    ranked = [entry.name for entry in comparison.recommendation.ranked]
    keep = set(ranked[: MAX_DESIGNS - 1]) | {scenarios[0].name}
    return [s for s in scenarios if s.name in keep][:MAX_DESIGNS]


@draws(Comparison, "scorecard")
def scorecard_chart(comparison: Comparison, /) -> Chart:
    """The scorecard: every design's value of every measure, grouped as the recommendation
    weighs them, the best value of each measure shaded and bold."""
    name, chart_title = "scorecard", t("charts_compare.scorecard_title")
    scenarios = comparison.scenarios
    metrics = comparison.scorecard.metrics
    currency = _currency(comparison)
    header = (
        t("charts_compare.col_measure"),
        *(design_label(s.name) for s in scenarios),
        t("charts_compare.col_better"),
    )
    if not scenarios:
        return empty_chart(name, chart_title, t("charts_compare.no_designs"), header)
    designs = _shown_designs(comparison)
    rows = _metric_rows(metrics, designs)
    takeaway = _scorecard_takeaway(rows, designs, comparison.recommendation)
    drawing, marks = _scorecard_drawing(comparison, designs, rows, currency, takeaway)
    table = tuple(
        (
            metric_label(row.metric.key),
            *(metric_value(row.metric.key, v, currency) for v in row.values),
            t(f"charts_compare.better_{row.metric.better}"),
        )
        for row in _metric_rows(metrics, scenarios)
    )
    return Chart(name, chart_title, takeaway, drawing, DataTable(header, table), marks)


def _scorecard_takeaway(
    rows: Sequence[_MetricRow], designs: Sequence[ScenarioScore], recommendation: Recommendation
) -> str:
    if len(designs) < 2:
        return t("charts_compare.only_one", design=design_label(designs[0].name))
    differing = [row for row in rows if row.best]
    if not differing:
        return t("charts_compare.scorecard_no_difference", n=integer(len(rows)))
    if len(differing) == 1:
        names = [design.name for design in designs]
        row = differing[0]
        winners = [design_label(names[index]) for index in sorted(row.best)]
        return t(
            "charts_compare.scorecard_take_one",
            metric=_lower_first(metric_label(row.metric.key)),
            designs=listed(winners),
        )
    names = [design.name for design in designs]
    chosen = recommendation.recommended if recommendation.recommended in names else names[0]
    index = names.index(chosen)
    best = sum(index in row.best for row in differing)
    worst = [metric_label(row.metric.key) for row in differing if index in row.worst]
    found = {
        "design": design_label(chosen),
        "best": integer(best),
        "n": integer(len(differing)),
    }
    if not worst:
        return t("charts_compare.scorecard_take", **found)
    named = [_lower_first(label) for label in worst[:3]]
    if len(worst) > 3:
        named.append(t("charts_compare.more_measures", n=integer(len(worst) - 3)))
    return t("charts_compare.scorecard_take_worst", **found, worst=listed(named))


def _scorecard_drawing(
    comparison: Comparison,
    designs: Sequence[ScenarioScore],
    rows: Sequence[_MetricRow],
    currency: str,
    label: str,
) -> tuple[str, int]:
    recommendation = comparison.recommendation
    by_key = {row.metric.key: row for row in rows}
    label_width, arrow_width = 220.0, 18.0
    cell = min(110.0, (WIDTH - label_width - arrow_width) / len(designs))
    left = label_width + arrow_width
    head_top = 24.0
    parts = [
        element(
            "rect",
            x=0,
            y=head_top - 10,
            width=14,
            height=11,
            fill=BEST_FILL,
            stroke=MUTED,
            stroke_width=0.5,
        )
    ]
    legend_lines = [
        *wrap(t("charts_compare.legend_best"), label_width - 24, 11, 2),
        *wrap(t("charts_compare.legend_recommended"), label_width - 4, 11, 2),
        *wrap(t("charts_compare.legend_lower"), label_width - 4, 11, 1),
        *wrap(t("charts_compare.legend_higher"), label_width - 4, 11, 1),
    ]
    for number_, line in enumerate(legend_lines):
        parts.append(
            text(
                line,
                x=20 if number_ == 0 else 0,
                y=head_top + 14 * number_,
                font_size=11,
                fill=INK if number_ == 0 else MUTED,
            )
        )
    scenarios = {s.name: s for s in comparison.scenarios}
    headers = [
        wrap(
            design_label(design.name),
            cell - 4,
            11.5 if design.name == recommendation.recommended else 11,
            5,
            hyphenate=True,
        )
        for design in designs
    ]
    tallest = max(len(lines) for lines in headers)
    for index, (design, lines) in enumerate(zip(designs, headers, strict=True)):
        cx = left + cell * (index + 0.5)
        chosen = design.name == recommendation.recommended
        for number_, line in enumerate(lines):
            parts.append(
                element(
                    "text",
                    [title(design_label(design.name)), literal(line)],
                    x=cx,
                    y=head_top + 13 * number_,
                    font_size=11,
                    font_weight="bold" if chosen else None,
                    text_anchor="middle",
                    fill=INK,
                )
            )
        standing = _standing(design.name, recommendation, scenarios)
        for number_, line in enumerate(wrap(standing, cell - 4, 10, 2)):
            parts.append(
                text(
                    line,
                    x=cx,
                    y=head_top + 13 * tallest + 12 * number_,
                    font_size=13 if chosen else 10,
                    text_anchor="middle",
                    fill=ACCENT if chosen else MUTED,
                    font_weight="bold" if chosen else None,
                )
            )
    y, marks = max(head_top + 13 * tallest + 12 * 2, head_top + 14 * len(legend_lines)), 0
    for group, members in _grouped([row.metric for row in rows if _measured(row)]):
        y += 8
        heading = _group_heading(group, recommendation)
        parts.append(element("line", x1=0, x2=WIDTH, y1=y, y2=y, stroke=GREY, stroke_width=0.5))
        parts.append(text(heading, x=0, y=y + 15, font_size=11.5, font_weight="bold", fill=INK))
        y += 20
        for metric in members:
            row = by_key[metric.key]
            lines = wrap(metric_label(metric.key), label_width - 8, 11.5, 2)
            height = 8 + 14 * len(lines)
            for number_, line in enumerate(lines):
                parts.append(text(line, x=8, y=y + 15 + 14 * number_, font_size=11.5, fill=INK))
            arrow = "↑" if metric.better == "higher" else "↓"
            parts.append(text(arrow, x=label_width + 4, y=y + 15, font_size=12, fill=MUTED))
            for index, (design, value) in enumerate(zip(designs, row.values, strict=True)):
                shown = metric_value(metric.key, value, currency, short=True)
                best = index in row.best
                key = "tip_best" if best else "tip_value"
                tip = t(
                    f"charts_compare.{key}",
                    design=design_label(design.name),
                    metric=metric_label(metric.key),
                    value=shown,
                )
                x = left + cell * index
                parts.append(
                    bar(
                        x + 2,
                        y + 2,
                        cell - 4,
                        height - 4,
                        tip,
                        fill=BEST_FILL if best else "white",
                        stroke=TRACK,
                        stroke_width=0.5,
                    )
                )
                marks += 1
                parts.append(
                    text(
                        truncate(shown, cell - 8, 11.5),
                        x=x + cell / 2,
                        y=y + 15,
                        font_size=11.5,
                        text_anchor="middle",
                        fill=MUTED if value is None or not row.best else INK,
                        font_weight="bold" if best else None,
                    )
                )
            y += height
    notes = []
    if len(designs) < len(comparison.scenarios):
        notes.append(
            t("charts_compare.more_designs", n=integer(len(comparison.scenarios) - len(designs)))
        )
    same = [row for row in rows if not row.best and _measured(row)]
    if same and len(designs) > 1:
        notes.append(t("charts_compare.note_same", n=integer(len(same))))
    unmeasured = [_lower_first(metric_label(row.metric.key)) for row in rows if not _measured(row)]
    if unmeasured:
        notes.append(t("charts_compare.note_unmeasured", metrics=listed(unmeasured)))
    for note in notes:
        for line in wrap(note, WIDTH - 4, 11, 4):
            y += 16
            parts.append(text(line, x=0, y=y, font_size=11, fill=MUTED))
    return svg(WIDTH, y + 10, parts, label=label), marks


def _measured(row: _MetricRow) -> bool:
    """Whether any design has a value for the row's metric (the chart leaves the rest out)."""
    return any(value is not None for value in row.values)


def _group_heading(group: str, recommendation: Recommendation) -> str:
    if not group:
        return t("charts_compare.group_other")
    return t(
        "charts_compare.group_heading",
        group=group_title(group),
        weight=number(recommendation.weights.get(group, 0.0)),
    )


def _lower_first(words: str) -> str:
    """A label inside a sentence: ``"Reporting layers"`` → ``"reporting layers"``."""
    return words[:1].lower() + words[1:]
