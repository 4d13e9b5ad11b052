"""Segment coverage: which units serve each customer segment, who owns it, and the segment
values used without being defined.

Every figure comes from the :class:`~orglens.lenses.Analysis` the JSON output prints; every
word from the ``charts_budget`` catalogue.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from orglens.display import draws
from orglens.i18n import integer, listed, t
from orglens.lenses import Analysis
from orglens.lenses.customer import CustomerResult, SegmentCoverage
from orglens.report.chart import Chart, DataTable
from orglens.report.charts_budget import unit_names
from orglens.report.draw_bars import (
    WIDTH,
    bar,
    empty_chart,
    hatch,
    legend,
    truncate,
    width_of,
    wrap,
)
from orglens.report.svg import INK, MUTED, WARN, colour, element, literal, svg, text, title

__all__ = ["segments_chart"]

#: The fill of a unit serving a segment.
SERVES = colour(0)
#: Units drawn as columns of the segment matrix; beyond, the columns are the groups at the level.
MAX_UNIT_COLUMNS = 24
MAX_COLUMNS = 30
MAX_SEGMENTS = 30


@dataclass(frozen=True)
class _SegmentRow:
    label: str
    owner: str | None
    cells: frozenset[str]
    owner_cell: str | None
    shared_by: int | None
    undefined: bool


def _by_level(key: str, level: int, **params: object) -> str:
    """The text of ``key`` for departments (level 1) or for the units at another level."""
    if level == 1:
        return t(f"charts_budget.{key}_1", **params)
    return t(f"charts_budget.{key}_n", level=level, **params)


@draws(Analysis, "segments")
def segments_chart(analysis: Analysis, /) -> Chart:
    """Segment coverage: which units serve each customer segment (a matrix of segments by
    units, or by the groups at the level when many units do), its owner, and the segment values
    used without being defined."""
    customer = analysis.customer
    names = unit_names(analysis)
    level = customer.level
    header = (
        t("charts_budget.segments_col_segment"),
        t("charts_budget.segments_col_owner"),
        t("charts_budget.segments_col_units"),
        _by_level("segments_col_groups", level),
    )
    name, chart_title = "segments", t("charts_budget.segments_title")
    if not customer.segments and not customer.undefined_segments:
        return empty_chart(name, chart_title, t("charts_budget.segments_empty"), header)
    takeaway = _segments_takeaway(customer)
    rows, columns, notes = _segment_matrix(customer, names)
    drawing, marks = _segments_drawing(rows, columns, notes, names, takeaway, level)

    def unit_list(units: Iterable[str]) -> str:
        return ", ".join(names.get(unit, unit) for unit in units)

    table_rows = [
        (
            segment.name,
            names.get(segment.owner_unit, segment.owner_unit)
            if segment.owner_unit
            else t("charts_budget.segments_no_owner"),
            unit_list(segment.serving_units),
            f"{integer(segment.shared_by)}: {unit_list(segment.serving_groups)}",
        )
        for segment in customer.segments
    ] + [
        (
            t("charts_budget.segments_undefined_row", segment=entry.segment),
            "–",
            unit_list(entry.units),
            "–",
        )
        for entry in customer.undefined_segments
    ]
    return Chart(name, chart_title, takeaway, drawing, DataTable(header, tuple(table_rows)), marks)


def _segments_takeaway(customer: CustomerResult) -> str:
    segments = customer.segments
    if not segments:
        return t(
            "charts_budget.segments_take_undefined_only",
            n=integer(len(customer.undefined_segments)),
            names=listed([entry.segment for entry in customer.undefined_segments][:4]),
        )
    shared = sum(segment.shared_by > 1 for segment in segments)
    orphans = [segment.name for segment in segments if not segment.has_one_owner]
    if not orphans:
        owners = t("charts_budget.segments_take_owners_all")
    elif len(orphans) == 1:
        owners = t("charts_budget.segments_take_owner_missing", name=orphans[0])
    else:
        owners = t(
            "charts_budget.segments_take_owners_missing",
            count=integer(len(orphans)),
            names=listed(orphans[:4]),
        )
    if shared == len(segments):
        spread = _by_level("segments_shared_all", customer.level, n=integer(len(segments)))
    else:
        spread = _by_level(
            "segments_shared_some",
            customer.level,
            shared=integer(shared),
            n=integer(len(segments)),
        )
    if customer.common_segment_model is None:
        return t("charts_budget.segments_take", spread=spread, owners=owners)
    model = "yes" if customer.common_segment_model else "no"
    return t(
        "charts_budget.segments_take_model",
        spread=spread,
        owners=owners,
        model=t(f"charts_budget.segments_model_{model}"),
    )


def _chosen_segments(segments: Sequence[SegmentCoverage]) -> list[SegmentCoverage]:
    if len(segments) <= MAX_SEGMENTS:
        return list(segments)
    kept = {s.id for s in sorted(segments, key=lambda s: -s.shared_by)[:MAX_SEGMENTS]}
    return [s for s in segments if s.id in kept]


def _segment_matrix(
    customer: CustomerResult, names: Mapping[str, str]
) -> tuple[list[_SegmentRow], list[str], list[str]]:
    """The rows, the columns (units, or groups when too many units serve) and the notes."""
    segments = _chosen_segments(customer.segments)
    undefined = customer.undefined_segments[: max(0, MAX_SEGMENTS - len(segments))]
    order = {unit: index for index, unit in enumerate(names)}
    used = {u for s in segments for u in s.serving_units} | {u for e in undefined for u in e.units}
    by_units = len(used) <= MAX_UNIT_COLUMNS
    notes = []
    if by_units:
        columns = sorted(used, key=lambda u: (order.get(u, len(order)), u))
    else:
        counts: dict[str, int] = {}
        for segment in segments:
            for group in segment.serving_groups:
                counts[group] = counts.get(group, 0) + 1
        kept = sorted(counts, key=lambda g: -counts[g])[:MAX_COLUMNS]
        columns = sorted(kept, key=lambda u: (order.get(u, len(order)), u))
        notes.append(_by_level("segments_note_grouped", customer.level, units=integer(len(used))))
    shown = set(columns)
    rows = [
        _SegmentRow(
            label=segment.name,
            owner=segment.owner_unit,
            cells=frozenset(
                shown & set(segment.serving_units if by_units else segment.serving_groups)
            ),
            owner_cell=segment.owner_unit if segment.owner_unit in shown else None,
            shared_by=segment.shared_by,
            undefined=False,
        )
        for segment in segments
    ] + [
        _SegmentRow(
            label=entry.segment,
            owner=None,
            cells=frozenset(shown & set(entry.units)),
            owner_cell=None,
            shared_by=None,
            undefined=True,
        )
        for entry in undefined
    ]
    left_out = len(customer.segments) - len(segments)
    if left_out:
        notes.append(t("charts_budget.segments_note_more", n=integer(left_out)))
    if customer.units_without_segments:
        notes.append(
            t(
                "charts_budget.segments_note_without",
                units=listed([names.get(u, u) for u in customer.units_without_segments]),
            )
        )
    return rows, columns, notes


def _segments_drawing(
    rows: Sequence[_SegmentRow],
    columns: Sequence[str],
    notes: Sequence[str],
    names: Mapping[str, str],
    label: str,
    level: int,
) -> tuple[str, int]:
    label_width, owner_width, shared_width = 180.0, 130.0, 64.0
    room = WIDTH - label_width - owner_width - shared_width - 16
    cell = min(34.0, room / max(len(columns), 1))
    matrix_right = label_width + cell * len(columns)
    headings = [truncate(names.get(c, c), 130, 11) for c in columns]
    rise = max((width_of(h, 11) for h in headings), default=0.0) * 0.71 + 12
    top = 30 + rise
    parts = [
        hatch("ol-hatch-segments", WARN),
        legend(
            [
                (SERVES, t("charts_budget.segments_legend_serves")),
                ("url(#ol-hatch-segments)", t("charts_budget.segments_legend_undefined")),
            ],
            14,
            width=WIDTH - 100,
        )[0],
        text(
            "★ " + t("charts_budget.segments_legend_owner"),
            x=WIDTH - 4,
            y=14,
            font_size=11,
            text_anchor="end",
            fill=INK,
        ),
    ]
    for index, (column, heading) in enumerate(zip(columns, headings, strict=True)):
        cx = label_width + cell * (index + 0.5)
        parts.append(
            element(
                "text",
                [title(names.get(column, column)), literal(heading)],
                x=cx,
                y=top - 6,
                font_size=11,
                transform=f"rotate(-45 {cx:.1f} {top - 6:.1f})",
                fill=INK,
            )
        )
    owner_x, shared_x = matrix_right + 14, matrix_right + 14 + owner_width + shared_width - 8
    parts.append(
        text(
            t("charts_budget.segments_col_owner"),
            x=owner_x,
            y=top - 6,
            font_size=11,
            font_weight="bold",
            fill=MUTED,
        )
    )
    parts.append(
        text(
            _by_level("segments_col_count", level),
            x=shared_x,
            y=top - 6,
            font_size=11,
            font_weight="bold",
            fill=MUTED,
            text_anchor="end",
        )
    )
    y, marks, size = top, 0, min(cell - 6, 18.0)
    for row in rows:
        ink = WARN if row.undefined else INK
        parts.append(
            text(
                truncate(row.label, label_width - 8, 11.5),
                x=0,
                y=y + 15,
                font_size=11.5,
                fill=ink,
                font_style="italic" if row.undefined else None,
            )
        )
        for index, column in enumerate(columns):
            x = label_width + cell * index + (cell - size) / 2
            unit = names.get(column, column)
            if column not in row.cells:
                parts.append(element("rect", x=x, y=y + 3, width=size, height=size, fill="#eef1f4"))
                continue
            owns = column == row.owner_cell
            key = (
                "segments_tip_undefined"
                if row.undefined
                else "segments_tip_owns"
                if owns
                else "segments_tip_serves"
            )
            tip = t(f"charts_budget.{key}", segment=row.label, unit=unit)
            fill = "url(#ol-hatch-segments)" if row.undefined else SERVES
            parts.append(
                bar(x, y + 3, size, size, tip, fill=fill, stroke=WARN if row.undefined else None)
            )
            marks += 1
            if owns:
                parts.append(
                    text(
                        "★",
                        x=x + size / 2,
                        y=y + 3 + size * 0.75,
                        font_size=size * 0.7,
                        text_anchor="middle",
                        fill="white",
                    )
                )
        if row.undefined:
            owner, ink = t("charts_budget.segments_not_defined"), WARN
        elif row.owner:
            owner, ink = names.get(row.owner, row.owner), INK
        else:
            owner, ink = t("charts_budget.segments_no_owner"), WARN
        parts.append(
            text(
                truncate(
                    owner, owner_width + shared_width - 14 if row.undefined else owner_width - 6, 11
                ),
                x=owner_x,
                y=y + 15,
                font_size=11,
                fill=ink,
                font_weight="bold" if ink == WARN else None,
            )
        )
        if not row.undefined:
            parts.append(
                text(
                    integer(row.shared_by or 0),
                    x=shared_x,
                    y=y + 15,
                    font_size=11,
                    text_anchor="end",
                    fill=INK,
                )
            )
        y += 24
    for note in notes:
        for line in wrap(note, WIDTH - 4, 11, 2):
            y += 16
            parts.append(text(line, x=0, y=y, font_size=11, fill=MUTED))
    return svg(WIDTH, y + 10, parts, label=label), marks
