"""The charts of the hierarchy's shape: managers per span against the archetype ranges and
the span range, and the people and managers in each layer.

Every figure comes from the :class:`~orglens.lenses.hr.HrResult` the JSON output prints; every
word from the ``charts_org`` catalogue. The org chart (:mod:`~orglens.report.charts_org`) marks
spans out of range as these charts do and opens its takeaway with :func:`spans_takeaway`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from orglens.display import draws
from orglens.i18n import integer, listed, number, percent, t
from orglens.lenses import Analysis
from orglens.lenses.hr import HrResult
from orglens.lenses.spans import ManagerSpan
from orglens.model import Settings, SpanArchetype
from orglens.report.chart import Chart, DataTable
from orglens.report.draw_bars import WIDTH, empty_chart, hatch, truncate, width_of
from orglens.report.svg import INK, MUTED, WARN, colour, element, svg, text, title

__all__ = ["ABOVE", "BELOW", "layers_chart", "plural", "spans_chart", "spans_takeaway"]

#: Names a takeaway lists before "and N more".
NAMED = 3
#: The span chart's widest column: spans from here up are counted together.
SPAN_CAP = 40
#: Layers the layer chart draws one by one; deeper layers are counted together.
LAYER_CAP = 20
#: The marks of a span above and below the span range.
ABOVE, BELOW = "▲", "▼"


def plural(key: str, n: int, **params: object) -> str:
    """The ``charts_org`` text of ``key`` for ``n`` things: ``key_one`` or ``key_other``."""
    return t(f"charts_org.{key}_{'one' if n == 1 else 'other'}", n=integer(n), **params)


def _named(managers: Sequence[ManagerSpan]) -> str:
    names = [t("charts_org.named_span", name=m.name, span=m.span) for m in managers[:NAMED]]
    if len(managers) > NAMED:
        names.append(t("charts_org.more_named", n=integer(len(managers) - NAMED)))
    return listed(names)


def spans_takeaway(hr: HrResult) -> str:
    """The spans in a sentence: how many managers have a span out of the range (the first few
    by name), or that every span is in it."""
    low, high = hr.span_range
    flagged = [m for m in hr.managers if m.flag is not None]
    if flagged:
        return t(
            f"charts_org.spans_out_{'one' if len(flagged) == 1 else 'other'}",
            out=integer(len(flagged)),
            managers=integer(len(hr.managers)),
            low=low,
            high=high,
            names=_named(flagged),
        )
    return t("charts_org.spans_in", managers=integer(len(hr.managers)), low=low, high=high)


# -- spans -----------------------------------------------------------------------------------


def _archetypes(hr: HrResult, given: Sequence[SpanArchetype] | None) -> Sequence[SpanArchetype]:
    """The archetype ranges to draw: ``given``, else the default ones when every manager's
    archetype agrees with them, else none (the result does not say which ranges were used)."""
    if given is not None:
        return given
    defaults = Settings()
    if all(defaults.archetype_of(m.span) == m.archetype for m in hr.managers):
        return defaults.span_archetypes
    return ()


@draws(Analysis, "spans")
def spans_chart(analysis: Analysis, *, archetypes: Sequence[SpanArchetype] | None = None) -> Chart:
    """Managers per span (direct reports), against the archetype ranges and the span range,
    with the span bands' counts beneath; out-of-range columns hatched in the warning colour.

    ``archetypes`` are the ranges drawn above the columns (a workspace's
    ``settings.span_archetypes``); by default McKinsey's five, when the managers' archetypes
    agree with them.
    """
    hr = analysis.hr
    chart_title = t("charts_org.spans_title")
    low, high = hr.span_range
    header = (
        t("charts_org.column_band"),
        t("charts_org.column_managers"),
        t("charts_org.column_share"),
        t("charts_org.column_outside", low=low, high=high),
        t("charts_org.column_archetypes"),
    )
    if not hr.managers:
        return empty_chart("spans", chart_title, t("charts_org.spans_empty"), header)
    widest = max(m.span for m in hr.managers)
    columns = min(max(widest, hr.span_bands[-1].min), SPAN_CAP)
    per_span = Counter(min(m.span, columns) for m in hr.managers)
    left, plot_top, plot_height = 34.0, 52.0, 150.0
    step = (WIDTH - left - 12) / columns
    most = max(per_span.values())

    def x_of(span: float) -> float:
        return left + (span - 1) * step

    parts = [hatch("spans-out", WARN)]
    parts += _archetype_strip(_archetypes(hr, archetypes), columns, x_of, step, plot_top)
    base = plot_top + plot_height
    marks = 0
    for span in range(1, columns + 1):
        count = per_span.get(span, 0)
        out = span < low or span > high
        if not count:
            continue
        height = plot_height * count / most
        label = f"{span}+" if span == columns and widest > columns else str(span)
        tip = t(
            "charts_org.tip_span_column",
            span=label,
            managers=plural("managers", count),
            archetypes=_archetype_names(m for m in hr.managers if min(m.span, columns) == span),
        )
        parts.append(
            element(
                "rect",
                title(tip),
                x=x_of(span) + 2,
                y=base - height,
                width=max(step - 4, 1.0),
                height=height,
                fill="url(#spans-out)" if out else colour(0),
                stroke=WARN if out else None,
                class_="mark",
            )
        )
        parts.append(
            text(
                str(count),
                x=x_of(span) + step / 2,
                y=base - height - 3,
                font_size=11,
                text_anchor="middle",
                fill=WARN if out else INK,
            )
        )
        marks += 1
    parts += _range_lines(low, high, columns, x_of, plot_top, base)
    parts += _span_axis(columns, widest, x_of, step, base)
    band_parts, band_marks = _band_brackets(hr, columns, x_of, step, base + 40)
    parts += band_parts
    marks += band_marks
    height = base + 40 + 40
    takeaway = spans_takeaway(hr)
    rows = tuple(
        (
            band.band.replace("-", "–"),
            integer(band.managers),
            percent(band.share) if band.share is not None else "",
            integer(sum(1 for m in _in_band(hr, band.min, band.max) if m.flag is not None)),
            _archetype_names(_in_band(hr, band.min, band.max)),
        )
        for band in hr.span_bands
    )
    return Chart(
        name="spans",
        title=chart_title,
        takeaway=takeaway,
        svg=svg(WIDTH, height, parts, label=f"{chart_title}: {takeaway}"),
        table=DataTable(header, rows),
        marks=marks,
    )


def _in_band(hr: HrResult, low: int, high: int | None) -> list[ManagerSpan]:
    return [m for m in hr.managers if m.span >= low and (high is None or m.span <= high)]


def _archetype_names(managers: Iterable[ManagerSpan]) -> str:
    """The archetypes of ``managers``, comma-separated (a span no archetype holds, by name)."""
    names = sorted({m.archetype for m in managers})
    return ", ".join(t("charts_org.no_archetype") if name == "none" else name for name in names)


def _archetype_strip(
    archetypes: Sequence[SpanArchetype],
    columns: int,
    x_of: Callable[[float], float],
    step: float,
    top: float,
) -> list[str]:
    parts = []
    if archetypes:
        key = "archetypes_default" if archetypes == Settings().span_archetypes else "archetypes"
        parts.append(text(t(f"charts_org.{key}"), x=8, y=14, font_size=11, fill=MUTED))
    for index, archetype in enumerate(archetypes):
        if archetype.min > columns:
            continue
        end = columns if archetype.max is None else min(archetype.max, columns)
        x0, x1 = x_of(archetype.min), x_of(end) + step
        shade = "#eef1f4" if index % 2 == 0 else "#f7f8fa"
        rng = f"{archetype.min}+" if archetype.max is None else f"{archetype.min}–{archetype.max}"
        parts.append(element("rect", x=x0, y=20, width=x1 - x0, height=top + 150 - 20, fill=shade))
        full, room, middle = f"{archetype.name} {rng}", x1 - x0 - 4, (x0 + x1) / 2
        if width_of(full, 11) <= room:
            parts.append(text(full, x=middle, y=33, font_size=11, text_anchor="middle", fill=INK))
            continue
        # A narrow band (two columns): its name above its range, smaller, cut only if need be.
        for line, y in ((archetype.name, 30), (rng, 42)):
            shown = truncate(line, room, 10)
            parts.append(text(shown, x=middle, y=y, font_size=10, text_anchor="middle", fill=INK))
    return parts


def _range_lines(
    low: int, high: int, columns: int, x_of: Callable[[float], float], top: float, base: float
) -> list[str]:
    parts = []
    for bound, key, anchor, shift in ((low, "below", "end", -3), (high + 1, "above", "start", 3)):
        if not 1 < bound <= columns:
            continue
        x = x_of(bound)
        parts.append(
            element("line", x1=x, x2=x, y1=top - 8, y2=base, stroke=WARN, stroke_dasharray="4 3")
        )
        value = low if key == "below" else high
        parts.append(
            text(
                t(f"charts_org.range_{key}", n=value, marker=BELOW if key == "below" else ABOVE),
                x=x + shift,
                y=top + 4,
                font_size=11,
                text_anchor=anchor,
                fill=WARN,
            )
        )
    return parts


def _span_axis(
    columns: int, widest: int, x_of: Callable[[float], float], step: float, base: float
) -> list[str]:
    every = 1 if step >= 16 else 5
    parts = [element("line", x1=x_of(1), x2=x_of(columns) + step, y1=base, y2=base, stroke=INK)]
    for span in range(1, columns + 1):
        if span % every and span != 1:
            continue
        label = f"{span}+" if span == columns and widest > columns else str(span)
        parts.append(
            text(
                label,
                x=x_of(span) + step / 2,
                y=base + 13,
                font_size=11,
                text_anchor="middle",
                fill=MUTED,
            )
        )
    parts.append(
        text(
            t("charts_org.spans_axis"),
            x=x_of(columns) + step,
            y=base + 27,
            font_size=11,
            text_anchor="end",
            fill=MUTED,
        )
    )
    return parts


def _band_brackets(
    hr: HrResult, columns: int, x_of: Callable[[float], float], step: float, top: float
) -> tuple[list[str], int]:
    parts = [text(t("charts_org.bands"), x=8, y=top - 13, font_size=11, fill=MUTED)]
    marks = 0
    for index, band in enumerate(hr.span_bands):
        if band.min > columns:
            continue
        end = columns if band.max is None else min(band.max, columns)
        x0, x1 = x_of(band.min) + 2, x_of(end) + step - 2
        y = top + 10 + (index % 2) * 16
        share = percent(band.share) if band.share is not None else ""
        tip = t(
            "charts_org.tip_band",
            band=band.band.replace("-", "–"),
            managers=plural("managers", band.managers),
            share=share,
        )
        parts.append(
            element(
                "path",
                title(tip),
                d=f"M{x0:.1f},{y - 6:.1f}V{y - 3:.1f}H{x1:.1f}V{y - 6:.1f}",
                fill="none",
                stroke=INK,
                class_="mark",
            )
        )
        marks += 1
        label = t(
            "charts_org.band_label",
            band=band.band.replace("-", "–"),
            managers=integer(band.managers),
        )
        parts.append(
            text(label, x=(x0 + x1) / 2, y=y + 9, font_size=11, text_anchor="middle", fill=INK)
        )
    return parts, marks


# -- layers ----------------------------------------------------------------------------------


@draws(Analysis, "layers")
def layers_chart(analysis: Analysis) -> Chart:
    """People per layer of the hierarchy (the top person is layer 1) as a centred bar each, the
    managers among them darker, with their number and mean span."""
    hr = analysis.hr
    chart_title = t("charts_org.layers_title")
    header = tuple(
        t(f"charts_org.column_{key}") for key in ("layer", "people", "managers", "mean_span")
    )
    if not hr.people_per_layer:
        return empty_chart("layers", chart_title, t("charts_org.layers_empty"), header)
    managed = {row.layer: row for row in hr.span_per_layer}
    rows_data: list[tuple[str, int, int, float | None]] = []
    deep_people = deep_managers = 0
    deep_reports = 0.0
    for depth, people in sorted(hr.people_per_layer.items()):
        span = managed.get(depth)
        if depth < LAYER_CAP:
            rows_data.append(
                (str(depth), people, span.managers if span else 0, span.mean_span if span else None)
            )
            continue
        deep_people += people
        if span:
            deep_managers += span.managers
            deep_reports += span.managers * span.mean_span
    if deep_people:
        rows_data.append(
            (
                f"{LAYER_CAP}+",
                deep_people,
                deep_managers,
                deep_reports / deep_managers if deep_managers else None,
            )
        )
    widest = max(people for _, people, _, _ in rows_data)
    label_width, info_width, pitch = 70.0, 250.0, 24.0
    middle = label_width + (WIDTH - label_width - info_width) / 2
    half = (WIDTH - label_width - info_width) / 2 - 8
    parts = [
        text(t("charts_org.layers_legend"), x=8, y=14, font_size=11, fill=MUTED),
    ]
    marks = 0
    table_rows = []
    for index, (layer, people, managers, mean) in enumerate(rows_data):
        y = 28 + index * pitch
        width = max(2 * half * people / widest, 2.0)
        tip = t("charts_org.tip_layer", layer=layer, people=plural("people", people))
        parts.append(
            text(t("charts_org.layer", layer=layer), x=8, y=y + 14, font_size=12, fill=INK)
        )
        parts.append(
            element(
                "rect",
                title(tip),
                x=middle - width / 2,
                y=y + 2,
                width=width,
                height=pitch - 6,
                fill=colour(4),
                class_="mark",
            )
        )
        marks += 1
        info = plural("people", people)
        if managers:
            inner = max(2 * half * managers / widest, 2.0)
            mean_text = number(round(mean or 0, 1))
            manager_tip = t(
                "charts_org.tip_layer_managers",
                layer=layer,
                managers=plural("managers", managers),
                mean=mean_text,
            )
            parts.append(
                element(
                    "rect",
                    title(manager_tip),
                    x=middle - inner / 2,
                    y=y + 2,
                    width=inner,
                    height=pitch - 6,
                    fill=colour(0),
                    class_="mark",
                )
            )
            marks += 1
            info = t(
                "charts_org.layer_info",
                people=info,
                managers=plural("managers", managers),
                mean=mean_text,
            )
        parts.append(text(info, x=WIDTH - info_width + 4, y=y + 14, font_size=11, fill=INK))
        table_rows.append(
            (
                layer,
                integer(people),
                integer(managers),
                number(round(mean, 1)) if mean is not None else "",
            )
        )
    height = 28 + len(rows_data) * pitch + 8
    takeaway = _layers_takeaway(hr)
    return Chart(
        name="layers",
        title=chart_title,
        takeaway=takeaway,
        svg=svg(WIDTH, height, parts, label=f"{chart_title}: {takeaway}"),
        table=DataTable(header, tuple(table_rows)),
        marks=marks,
    )


def _layers_takeaway(hr: HrResult) -> str:
    if hr.one_over_one:
        names = [o.name for o in hr.one_over_one]
        shown = listed(
            names[:NAMED]
            + (
                [t("charts_org.more_named", n=integer(len(names) - NAMED))]
                if len(names) > NAMED
                else []
            )
        )
        return plural(
            "layers_one_over_one",
            len(names),
            layers=hr.layers,
            managers=plural("managers", len(names)),
            names=shown,
        )
    if not hr.span_per_layer:
        return t("charts_org.layers_flat", people=plural("people", hr.headcount))
    # A layer of one manager (the CEO) says more about that person than about the layer.
    shared = [layer for layer in hr.span_per_layer if layer.managers > 1] or hr.span_per_layer
    narrowest = min(shared, key=lambda layer: (layer.mean_span, layer.layer))
    return t(
        "charts_org.layers_narrowest",
        layers=hr.layers,
        layer=narrowest.layer,
        mean=number(round(narrowest.mean_span, 1)),
    )
