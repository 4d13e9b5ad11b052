"""The charts of the budget and customer lenses: brand vs activation against the benchmark, who
owns revenue and spend, and which units serve each customer segment.

Every figure comes from the :class:`~orglens.lenses.Analysis` the JSON output prints (amounts
are summed only to group spend lines by the pair of units they join); every word from the
``charts_budget`` catalogue.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from orglens.display import draws
from orglens.i18n import integer, listed, number, percent, points, t
from orglens.lenses import Analysis
from orglens.lenses.budget import BudgetResult, RevenueAccountability, SpendAccountability
from orglens.lenses.customer import CustomerResult, SegmentCoverage
from orglens.model import VIRTUAL_TOP
from orglens.report.chart import Chart, DataTable
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
from orglens.report.svg import (
    FONT,
    INK,
    MUTED,
    WARN,
    colour,
    element,
    literal,
    svg,
    text,
    title,
)

__all__ = ["brand_chart", "money", "ownership_chart", "segments_chart", "unit_names"]

BRAND = colour(0)
ACTIVATION = colour(1)
REVENUE = colour(2)
SPEND = colour(0)
#: Rows drawn per section before the rest is grouped as "other" (the table keeps every row).
TOP_STREAMS = 10
TOP_SPEND = 15
#: Units drawn as columns of the segment matrix; beyond, the columns are the groups at the level.
MAX_UNIT_COLUMNS = 24
MAX_COLUMNS = 30
MAX_SEGMENTS = 30


def money(amount: float, currency: str) -> str:
    """``amount`` in ``currency``, short: ``4120000`` → ``'SEK 4.12M'`` (``'4,12 MSEK'``).

    >>> money(4_120_000, "SEK"), money(950, "EUR"), money(120_000, "SEK")
    ('SEK 4.12M', 'EUR 950', 'SEK 120k')
    """
    size = abs(amount)
    for scale, key in ((1e9, "billions"), (1e6, "millions"), (1e3, "thousands")):
        if size >= scale:
            return t(f"charts_budget.money_{key}", n=number(amount / scale), currency=currency)
    return t("charts_budget.money_units", n=number(amount), currency=currency)


def unit_names(analysis: Analysis) -> dict[str, str]:
    """``{unit id: its name}`` for every unit of the analysed organization."""
    return {unit.unit: unit.name for unit in analysis.budget.units}


# -- brand vs activation ------------------------------------------------------------------------


@draws(Analysis, "brand")
def brand_chart(analysis: Analysis, /) -> Chart:
    """Brand vs activation: the split of marketing spend against the B2B benchmark, with the
    benchmark's source beneath the bars."""
    budget = analysis.budget
    header = (
        t("charts_budget.brand_col_spend"),
        t("charts_budget.col_amount", currency=budget.currency),
        t("charts_budget.brand_col_share"),
        t("charts_budget.brand_col_benchmark"),
    )
    name, chart_title = "brand", t("charts_budget.brand_title")
    if budget.brand_share is None:
        missing = "brand_no_budget" if budget.spend == 0 else "brand_no_horizon"
        return empty_chart(name, chart_title, t(f"charts_budget.{missing}"), header)
    share, benchmark, gap = budget.brand_share, budget.brand_benchmark, budget.brand_gap or 0.0
    takeaway = _brand_takeaway(share, benchmark, gap, money(budget.brand_amount, budget.currency))
    drawing, marks = _brand_drawing(budget, takeaway)
    rows = (
        (
            t("charts_budget.brand_label"),
            integer(budget.brand_amount),
            percent(share),
            percent(benchmark),
        ),
        (
            t("charts_budget.activation_label"),
            integer(budget.activation_amount),
            percent(1 - share),
            percent(1 - benchmark),
        ),
        (t("charts_budget.brand_row_other"), integer(budget.other_amount), "–", "–"),
        (t("charts_budget.brand_row_source"), budget.brand_benchmark_source, "", ""),
    )
    return Chart(name, chart_title, takeaway, drawing, DataTable(header, rows), marks)


def _brand_takeaway(share: float, benchmark: float, gap: float, amount: str) -> str:
    shown_gap = points(abs(gap))
    side = "at" if shown_gap == points(0) else "below" if gap < 0 else "above"
    return t(
        f"charts_budget.brand_{side}",
        share=percent(share),
        amount=amount,
        gap=shown_gap,
        benchmark=percent(benchmark),
    )


def _brand_drawing(budget: BudgetResult, label: str) -> tuple[str, int]:
    share = budget.brand_share or 0.0
    benchmark = budget.brand_benchmark
    left, span, height = 170.0, WIDTH - 170.0 - 10, 34.0
    rows = (
        (t("charts_budget.brand_yours"), share, budget.brand_amount, budget.activation_amount),
        (t("charts_budget.brand_benchmark_row"), benchmark, None, None),
    )
    parts = [
        hatch("ol-hatch-brand", ACTIVATION),
        legend(
            [
                (BRAND, t("charts_budget.brand_label")),
                ("url(#ol-hatch-brand)", t("charts_budget.activation_label")),
            ],
            16,
        )[0],
    ]
    marks = 0
    for index, (row_label, brand_share, brand_amount, activation_amount) in enumerate(rows):
        y = 34 + index * 58.0
        parts.append(text(row_label, x=0, y=y + 21, font_weight="bold"))
        segments = (
            (
                t("charts_budget.brand_label"),
                brand_share,
                brand_amount,
                BRAND,
                "white" if index == 0 else INK,
            ),
            (
                t("charts_budget.activation_label"),
                1 - brand_share,
                activation_amount,
                "url(#ol-hatch-brand)",
                INK,
            ),
        )
        x = left
        for name, part, amount, fill, ink in segments:
            width = part * span
            shown = percent(part)
            if amount is not None:
                shown = t(
                    "charts_budget.brand_part", share=shown, amount=money(amount, budget.currency)
                )
            tip = t("charts_budget.brand_tip", label=name, row=row_label, value=shown)
            parts.append(
                bar(
                    x,
                    y,
                    width,
                    height,
                    tip,
                    fill=fill,
                    stroke=INK,
                    stroke_width=0.5,
                    opacity=None if index == 0 else "0.6",
                )
            )
            marks += 1
            fitting = shown if width_of(shown, 12) + 12 < width else percent(part)
            if width_of(fitting, 12) + 8 < width:
                # Brand's label at its start, activation's at its end: the benchmark line
                # between them crosses neither.
                first = x == left
                parts.append(
                    text(
                        fitting,
                        x=x + 6 if first else x + width - 6,
                        y=y + 22,
                        fill=ink,
                        font_weight="bold",
                        text_anchor=None if first else "end",
                    )
                )
            x += width
    line_x = left + benchmark * span
    parts.append(
        element(
            "line",
            x1=line_x,
            x2=line_x,
            y1=28,
            y2=34 + 58 + height + 6,
            stroke=INK,
            stroke_width=1.5,
            stroke_dasharray="5 3",
        )
    )
    gap = budget.brand_gap or 0.0
    if points(abs(gap)) != points(0):
        key = "brand_gap_below" if gap < 0 else "brand_gap_above"
        note = t(f"charts_budget.{key}", gap=points(abs(gap)))
        share_x = left + share * span
        low, high = sorted((share_x, line_x))
        parts.append(
            element("path", d=f"M{low:.1f},76 L{high:.1f},76", stroke=WARN, stroke_width=2)
        )
        anchor_x = high + 6 if high + 6 + width_of(note, 11) < WIDTH else low - 6
        parts.append(
            text(
                note,
                x=anchor_x,
                y=80,
                font_size=11,
                fill=WARN,
                font_weight="bold",
                text_anchor="start" if anchor_x > high else "end",
            )
        )
    y = 34 + 58 + height + 20
    parts.append(
        text(
            t("charts_budget.brand_benchmark_line", share=percent(benchmark)),
            x=line_x,
            y=y,
            font_size=11,
            text_anchor="middle",
            fill=INK,
        )
    )
    source = t("charts_budget.brand_source", source=budget.brand_benchmark_source)
    notes = [*wrap(source, WIDTH - 4, 11, 3)]
    if budget.other_amount > 0:
        notes.append(
            t("charts_budget.brand_other", amount=money(budget.other_amount, budget.currency))
        )
    for line in notes:
        y += 16
        parts.append(text(line, x=0, y=y, font_size=11, fill=MUTED))
    return svg(WIDTH, y + 8, parts, label=label), marks


# -- who owns revenue and spend ----------------------------------------------------------------

#: How a row of the ownership chart is drawn: revenue; spend serving its own unit (or a unit of
#: the same owner); spend serving another unit's result with a manager below the top owning both;
#: the same where only the top (or nobody) owns both.
_KINDS = ("revenue", "own", "shared", "top")


@dataclass(frozen=True)
class _Row:
    label: str
    amount: float
    shown: str
    owner: str
    kind: str
    tip: str
    grouped: bool = False


def _owner_text(name: str | None, layer: int | None) -> str:
    if name is None:
        return t("charts_budget.owner_none")
    if name == VIRTUAL_TOP:
        return t("charts_budget.owner_virtual")
    if layer is not None and layer <= 1:
        return t("charts_budget.owner_top", name=name)
    return t("charts_budget.owner_layer", name=name, layer=layer)


def _only_top(line: SpendAccountability) -> bool:
    """Whether nobody below the top owns both the line's spend and its result."""
    return line.owner_name in (None, VIRTUAL_TOP) or (line.owner_layer or 0) <= 1


def _spend_kind(line: SpendAccountability) -> str:
    if line.same_owner:
        return "own"
    return "top" if _only_top(line) else "shared"


def _spend_rows(
    lines: Sequence[SpendAccountability], names: Mapping[str, str], currency: str
) -> list[_Row]:
    """One row per pair of units (the unit that spends → the unit whose result it serves; the
    owner depends on the pair only), the spend only the top owns first, largest first."""
    pairs: dict[tuple[str, str], list[SpendAccountability]] = {}
    for line in lines:
        pairs.setdefault((line.unit, line.outcome_unit or line.unit), []).append(line)
    rows = []
    for (unit, outcome), group in pairs.items():
        first = group[0]
        label = (
            names.get(unit, unit)
            if outcome == unit
            else t(
                "charts_budget.owner_spend_label",
                unit=names.get(unit, unit),
                outcome=names.get(outcome, outcome),
            )
        )
        amount = sum(line.amount for line in group)
        shown = money(amount, currency)
        owner = _owner_text(first.owner_name, first.owner_layer)
        tip = t(
            "charts_budget.owner_tip",
            label=label,
            amount=shown,
            owner=owner,
            lines=", ".join(line.id for line in group),
        )
        rows.append(_Row(label, amount, shown, owner, _spend_kind(first), tip))
    return sorted(rows, key=lambda row: -row.amount)


def _revenue_rows(
    streams: Sequence[RevenueAccountability], names: Mapping[str, str], currency: str
) -> list[_Row]:
    """One row per unit measured on revenue (its streams share one owner), largest first."""
    by_unit: dict[str, list[RevenueAccountability]] = {}
    for stream in streams:
        by_unit.setdefault(stream.unit, []).append(stream)
    rows = []
    for unit, group in by_unit.items():
        first = group[0]
        label = t(
            "charts_budget.owner_revenue_label",
            unit=names.get(unit, unit),
            streams=", ".join(dict.fromkeys(stream.stream for stream in group)),
        )
        amount = sum(stream.amount for stream in group)
        shown = money(amount, currency)
        owner = _owner_text(first.owner_name, first.owner_layer)
        tip = t(
            "charts_budget.owner_revenue_tip",
            label=label,
            amount=shown,
            spend=money(first.spend_serving, currency),
            owner=owner,
        )
        rows.append(_Row(label, amount, shown, owner, "revenue", tip))
    return sorted(rows, key=lambda row: -row.amount)


def _top(rows: list[_Row], keep: int, other_key: str, currency: str) -> list[_Row]:
    """The ``keep`` largest rows, the spend only the top owns first; the rest as one row per
    kind (so that its pattern stays true), largest kinds of concern first."""
    if len(rows) > keep + 1:
        kept, rest = rows[:keep], rows[keep:]
    else:
        kept, rest = rows, []
    found = sorted(kept, key=lambda row: (-_KINDS.index(row.kind), -row.amount))
    for kind in reversed(_KINDS):
        group = [row for row in rest if row.kind == kind]
        if len(group) < 2:
            found.extend(group)
            continue
        owners = list(dict.fromkeys(row.owner for row in group))
        owner = owners[0] if len(owners) == 1 else t("charts_budget.owner_several")
        label = t(f"charts_budget.{other_key}", n=integer(len(group)))
        shown = money(sum(row.amount for row in group), currency)
        tip = t(
            "charts_budget.owner_other_tip", label=label, amount=shown, owners=listed(owners[:8])
        )
        amount = sum(row.amount for row in group)
        found.append(_Row(label, amount, shown, owner, kind, tip, grouped=True))
    return found


@draws(Analysis, "ownership")
def ownership_chart(analysis: Analysis, /) -> Chart:
    """Who owns revenue and spend: per unit measured on revenue and per pair of units joined
    by spend, the lowest manager owning both the money and its result; spend whose result
    another unit owns is hatched, and marked when only the top owns both."""
    budget = analysis.budget
    accountability = budget.accountability
    currency = budget.currency
    names = unit_names(analysis)
    header = (
        t("charts_budget.owner_col_item"),
        t("charts_budget.owner_col_kind"),
        t("charts_budget.col_amount", currency=currency),
        t("charts_budget.owner_col_result"),
        t("charts_budget.owner_col_owner"),
    )
    name, chart_title = "ownership", t("charts_budget.owner_title")
    if not accountability.spend_lines and not accountability.revenue_streams:
        return empty_chart(name, chart_title, t("charts_budget.owner_empty"), header)
    takeaway = _ownership_takeaway(budget, analysis.level)
    sections = [
        (
            t("charts_budget.owner_revenue_heading", total=money(budget.revenue, currency)),
            _top(
                _revenue_rows(accountability.revenue_streams, names, currency),
                TOP_STREAMS,
                "owner_other_streams",
                currency,
            ),
        ),
        (
            t("charts_budget.owner_spend_heading", total=money(budget.spend, currency)),
            _top(
                _spend_rows(accountability.spend_lines, names, currency),
                TOP_SPEND,
                "owner_other_spend",
                currency,
            ),
        ),
    ]
    drawing, marks = _ownership_drawing([s for s in sections if s[1]], takeaway)
    table_rows = [
        (
            t(
                "charts_budget.owner_stream_row",
                stream=row.stream,
                unit=names.get(row.unit, row.unit),
                segment=row.segment or "–",
            ),
            t("charts_budget.owner_kind_revenue"),
            integer(row.amount),
            names.get(row.unit, row.unit),
            _owner_text(row.owner_name, row.owner_layer),
        )
        for row in accountability.revenue_streams
    ] + [
        (
            t("charts_budget.owner_line_row", id=line.id, unit=names.get(line.unit, line.unit)),
            t(f"charts_budget.owner_kind_{_spend_kind(line)}"),
            integer(line.amount),
            names.get(line.outcome_unit or line.unit, line.outcome_unit or line.unit),
            _owner_text(line.owner_name, line.owner_layer),
        )
        for line in accountability.spend_lines
    ]
    return Chart(name, chart_title, takeaway, drawing, DataTable(header, tuple(table_rows)), marks)


def _ownership_takeaway(budget: BudgetResult, level: int) -> str:
    accountability = budget.accountability
    currency = budget.currency
    if not accountability.spend_lines:
        return t("charts_budget.owner_no_spend")
    if accountability.spend_outcome_elsewhere_amount == 0:
        return t("charts_budget.owner_all_own")
    crossing = [line for line in accountability.spend_lines if not line.same_owner]
    at_top = [line for line in crossing if _only_top(line)]
    where = (
        t("charts_budget.owner_where_1")
        if level == 1
        else t("charts_budget.owner_where_n", level=level)
    )
    share = percent(accountability.spend_outcome_other_group_share or 0.0)
    if at_top:
        return t(
            "charts_budget.owner_take_top",
            share=share,
            where=where,
            amount=money(sum(line.amount for line in at_top), currency),
            name=_owner_text(at_top[0].owner_name, at_top[0].owner_layer),
        )
    owners = dict.fromkeys(_owner_text(line.owner_name, line.owner_layer) for line in crossing)
    return t("charts_budget.owner_take", share=share, where=where, names=listed(list(owners)[:4]))


def _ownership_drawing(
    sections: Sequence[tuple[str, Sequence[_Row]]], label: str
) -> tuple[str, int]:
    label_right, bar_left, bar_span, owner_x = 236.0, 242.0, 220.0, 548.0
    fills = {
        "revenue": REVENUE,
        "own": SPEND,
        "shared": "url(#ol-hatch-ownership-shared)",
        "top": "url(#ol-hatch-ownership-top)",
    }
    entries, bottom = legend(
        [(fills[kind], t(f"charts_budget.owner_legend_{kind}")) for kind in _KINDS], 14
    )
    parts = [
        hatch("ol-hatch-ownership-shared", SPEND),
        hatch("ol-hatch-ownership-top", WARN),
        entries,
        text(
            t("charts_budget.owner_col_owner"),
            x=owner_x,
            y=bottom + 26,
            font_size=11,
            fill=MUTED,
            font_weight="bold",
        ),
    ]
    y, marks = bottom + 26, 0
    for heading, rows in sections:
        for number_, line in enumerate(wrap(heading, WIDTH - 4, FONT, 2)):
            y += 22 if number_ == 0 else 16
            parts.append(text(line, x=0, y=y, font_weight="bold"))
        # A grouped row ("12 smaller...") may exceed the scale: its bar is cut, its amount shown.
        largest = max((row.amount for row in rows if not row.grouped), default=0.0)
        largest = largest or max(row.amount for row in rows) or 1.0
        for row in rows:
            y += 20
            width = min(max(row.amount / largest * bar_span, 1.5), bar_span)
            cut = row.amount / largest * bar_span > bar_span
            alarm = row.kind == "top"
            parts.append(
                text(
                    truncate(row.label, label_right, 11),
                    x=label_right,
                    y=y - 3,
                    font_size=11,
                    text_anchor="end",
                    fill=INK,
                )
            )
            parts.append(
                bar(
                    bar_left,
                    y - 14,
                    width,
                    14,
                    row.tip,
                    fill=fills[row.kind],
                    stroke={"top": WARN, "shared": SPEND}.get(row.kind),
                )
            )
            if cut:
                gap = bar_left + bar_span * 0.85
                parts.append(
                    element("path", d=f"M{gap:.1f},{y - 16:.1f} l5,0 l-5,18 l-5,0 z", fill="white")
                )
            marks += 1
            parts.append(text(row.shown, x=bar_left + width + 4, y=y - 3, font_size=11, fill=MUTED))
            parts.append(
                text(
                    truncate(row.owner, WIDTH - owner_x, 11),
                    x=owner_x,
                    y=y - 3,
                    font_size=11,
                    fill=WARN if alarm else INK,
                    font_weight="bold" if alarm else None,
                )
            )
        y += 6
    return svg(WIDTH, y + 8, parts, label=label), marks


# -- segment coverage ---------------------------------------------------------------------------


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
                (BRAND, t("charts_budget.segments_legend_serves")),
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
            fill = "url(#ol-hatch-segments)" if row.undefined else BRAND
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
