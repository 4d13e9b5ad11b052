"""The HR charts: the org chart of today and of each design, the span distribution against the
archetypes, and the layers of the hierarchy.

The org chart draws the unit tree, not every person (a company has a thousand): each unit with
its head, its people (with every unit below it) and its head's span, spans out of range marked
by colour and by ▲/▼; people who keep a dotted line to a chapter (a pod's members) as dashed
lanes from the chapter to the units they work in. Every figure comes from the
:class:`~orglens.lenses.hr.HrResult` the JSON output prints; the organization gives the tree
and who leads each unit. Every word comes from the ``charts_org`` catalogue.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from orglens.display import draws
from orglens.i18n import integer, listed, number, percent, t
from orglens.lenses import Analysis
from orglens.lenses.hr import HrResult
from orglens.lenses.spans import ManagerSpan
from orglens.model import Organization, Settings, SpanArchetype
from orglens.report.chart import Chart, DataTable
from orglens.report.draw_bars import WIDTH, empty_chart, hatch, truncate
from orglens.report.draw_tree import (
    Box,
    Lane,
    Node,
    descendants,
    draw_tree,
    levels_that_fit,
    prune,
)
from orglens.report.labels import design_label
from orglens.report.svg import INK, MUTED, WARN, colour, element, svg, text, title
from orglens.workspace import Comparison, Workspace

__all__ = [
    "design_org_chart",
    "layers_chart",
    "org_chart",
    "spans_chart",
]

#: The box of the whole company when the units have no single top unit.
COMPANY = "\x00company"
#: What the org chart shows at most: leaf rows, levels below the top, units under one parent,
#: dotted-line lanes (chapters with the most people first).
ROWS = 40
LEVELS = 3
CHILDREN = 15
LANES = 10
#: Names a takeaway lists before "and N more".
NAMED = 3
#: The span chart's widest column: spans from here up are counted together.
SPAN_CAP = 40
#: Layers the layer chart draws one by one; deeper layers are counted together.
LAYER_CAP = 20
ABOVE, BELOW = "▲", "▼"


def _plural(key: str, n: int, **params: object) -> str:
    return t(f"charts_org.{key}_{'one' if n == 1 else 'other'}", n=integer(n), **params)


def _marker(flag: str | None) -> str:
    return ABOVE if flag == "above range" else BELOW if flag == "below range" else ""


def _named(managers: Sequence[ManagerSpan]) -> str:
    names = [t("charts_org.named_span", name=m.name, span=m.span) for m in managers[:NAMED]]
    if len(managers) > NAMED:
        names.append(t("charts_org.more_named", n=integer(len(managers) - NAMED)))
    return listed(names)


def _spans_takeaway(hr: HrResult) -> str:
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


# -- the org chart ---------------------------------------------------------------------------


def _unit_tree(org: Organization) -> Node:
    """The unit tree; under :data:`COMPANY` when several units have no parent."""
    structure = org.structure
    built: dict[str, Node] = {}
    # Deepest units first, so that each unit's children are built before it (a unit tree may
    # be thousands deep: no recursion).
    for unit in sorted(structure.unit_depth, key=structure.unit_depth.__getitem__, reverse=True):
        children = tuple(built[child] for child in structure.unit_children[unit])
        built[unit] = Node(unit, children)
    tops = [u.id for u in org.units if structure.unit_parent[u.id] is None]
    if len(tops) == 1:
        return built[tops[0]]
    return Node(COMPANY, tuple(built[unit] for unit in tops))


def _box_of(originals: Mapping[str, Node], shown: Node) -> dict[str, str]:
    """The key of the box every unit is drawn in: its own, a shown unit above it, or the box
    standing for the units of its parent that are left out."""
    found: dict[str, str] = {}

    def into(node: Node, key: str) -> None:
        for below in descendants(node):
            found[below.key] = key

    def visit(node: Node) -> None:
        into(originals[node.key], node.key)
        for child in node.children:
            if child.hidden:
                for unit in child.hidden:
                    into(originals[unit], child.key)
            else:
                visit(child)

    visit(shown)
    found.pop(COMPANY, None)
    return found


def _walk(node: Node, parent: str | None = None) -> Iterable[tuple[Node, str | None]]:
    yield node, parent
    for child in node.children:
        yield from _walk(child, node.key)


@dataclass(frozen=True)
class _Facts:
    """What the boxes of one org chart read: the organization, its HR result, each unit's
    people with the units below it, each manager's span, and the dotted lines."""

    org: Organization
    hr: HrResult
    total: Mapping[str, int]
    spans: Mapping[str, ManagerSpan]
    #: Per unit, how many of its people keep a dotted line to each chapter.
    dotted: Mapping[str, Counter[str]]

    @classmethod
    def of(cls, org: Organization, hr: HrResult) -> _Facts:
        dotted: dict[str, Counter[str]] = defaultdict(Counter)
        for person in org.people:
            if person.chapter is not None and person.chapter != person.unit:
                dotted[person.unit][person.chapter] += 1
        return cls(
            org,
            hr,
            {u.unit: u.total_headcount for u in hr.units},
            {m.id: m for m in hr.managers},
            dotted,
        )


def _dotted_notes(facts: _Facts, unit: str) -> list[str]:
    """The table's words for a unit's dotted lines: to which chapters, and from how many."""
    org = facts.org
    notes = []
    chapter = next((c for c in facts.hr.chapters if c.unit == unit), None)
    if chapter is not None:
        notes.append(t("charts_org.note_chapter", people=_plural("people", chapter.members)))
    if facts.dotted.get(unit):
        lines = [
            t("charts_org.named_span", name=org.unit_by_id[other].name or other, span=count)
            for other, count in facts.dotted[unit].most_common()
        ]
        notes.append(t("charts_org.note_dotted", chapters=", ".join(lines)))
    return notes


def _unit_box(facts: _Facts, node: Node) -> tuple[Box, tuple[str, ...]]:
    """The box of one unit and its table row (without the "part of" column)."""
    org, hr, total, spans = facts.org, facts.hr, facts.total, facts.spans
    structure = org.structure
    low, high = hr.span_range
    unit = org.unit_by_id[node.key]
    name = unit.name or unit.id
    leads = structure.unit_leads[node.key]
    heads = [org.person_by_id[lead].name or lead for lead in leads]
    led = [spans[lead] for lead in leads if lead in spans]
    span_text = ", ".join(f"{m.span}{_marker(m.flag)}" for m in led)
    flagged = [m for m in led if m.flag is not None]
    people = _plural("people", total[node.key])
    folded = _plural("folded", node.folded) if node.folded else ""
    tip = [t("charts_org.tip_unit", unit=name, people=people)]
    if heads:
        tip.append(t("charts_org.tip_head", head=", ".join(heads)))
    for m in led:
        key = "tip_span_out" if m.flag is not None else "tip_span"
        tip.append(
            t(
                f"charts_org.{key}",
                name=m.name,
                span=m.span,
                low=low,
                high=high,
                marker=_marker(m.flag),
            )
        )
    if folded:
        tip.append(t("charts_org.tip_folded", folded=folded))
    notes = [t("charts_org.note_out", low=low, high=high)] if flagged else []
    if folded:
        notes.append(t("charts_org.tip_folded", folded=folded))
    notes += _dotted_notes(facts, node.key)
    box = Box(
        name=name,
        people=f"{folded} · {people}" if folded else people,
        head=", ".join(heads),
        span=t("charts_org.span", spans=span_text) if span_text else "",
        warn=bool(flagged),
        tip="; ".join(tip),
        folded=bool(node.folded),
    )
    row = (name, ", ".join(heads), integer(total[node.key]), span_text, "; ".join(notes))
    return box, row


def _company_box(org: Organization, hr: HrResult) -> tuple[Box, tuple[str, ...]]:
    people = _plural("people", hr.headcount)
    tip = t("charts_org.tip_unit", unit=org.name, people=people)
    return Box(org.name, people, tip=tip), (org.name, "", integer(hr.headcount), "", "")


def _more_box(
    org: Organization, originals: Mapping[str, Node], node: Node, total: Mapping[str, int]
) -> tuple[Box, tuple[str, ...]]:
    units = sum(1 for unit in node.hidden for _ in descendants(originals[unit]))
    people = sum(total[unit] for unit in node.hidden)
    names = [org.unit_by_id[unit].name or unit for unit in node.hidden]
    label = _plural("more_units", units)
    shown = _plural("people", people)
    tip = t("charts_org.tip_more", more=label, people=shown, units=listed(names))
    box = Box(label, shown, tip=tip, more=True)
    return box, (label, "", integer(people), "", listed(names))


def _lanes(org: Organization, box_of: Mapping[str, str], names: Mapping[str, str]) -> list[Lane]:
    """One lane per chapter box: the people who keep a dotted line to it, per box they work in
    (a box's own members are no dotted line); the lanes of the most people, at most LANES."""
    pairs: Counter[tuple[str, str]] = Counter()
    for person in org.people:
        if person.chapter is None or person.chapter == person.unit:
            continue
        source, target = box_of[person.chapter], box_of[person.unit]
        if source != target:
            pairs[source, target] += 1
    by_source: dict[str, dict[str, int]] = defaultdict(dict)
    for (source, target), count in pairs.items():
        by_source[source][target] = count
    ranked = sorted(by_source, key=lambda source: -sum(by_source[source].values()))[:LANES]
    lanes = []
    for source in ranked:
        targets = by_source[source]
        chapter = names[source]
        people = _plural("people", sum(targets.values()))
        lanes.append(
            Lane(
                source,
                {
                    target: (
                        count,
                        t(
                            "charts_org.tip_dot",
                            unit=names[target],
                            people=_plural("people", count),
                            chapter=chapter,
                        ),
                    )
                    for target, count in targets.items()
                },
                t("charts_org.tip_lane", chapter=chapter, people=people),
            )
        )
    return lanes


def _org_takeaway(hr: HrResult) -> str:
    if not hr.managers:
        return t("charts_org.org_no_managers")
    said = _spans_takeaway(hr)
    if hr.chapters:
        people = sum(chapter.members for chapter in hr.chapters)
        said = t(
            "charts_org.org_with_chapters",
            spans=said.removesuffix("."),
            people=_plural("people", people),
            chapters=_plural("chapters", len(hr.chapters)),
        )
    return said


def _draw_org(name: str, chart_title: str, org: Organization, hr: HrResult) -> Chart:
    header = tuple(
        t(f"charts_org.column_{key}")
        for key in ("unit", "part_of", "head", "people", "span", "note")
    )
    if not org.units:
        return empty_chart(name, chart_title, t("charts_org.org_empty"), header)
    facts = _Facts.of(org, hr)
    full = _unit_tree(org)
    levels = min(LEVELS, levels_that_fit(min(LANES, len(hr.chapters))))
    shown = prune(full, weight=facts.total, rows=ROWS, levels=levels, most=CHILDREN)
    originals = {node.key: node for node in descendants(full)}

    boxes: dict[str, Box] = {}
    rows: list[tuple[str, ...]] = []
    names: dict[str, str] = {}
    for node, parent in _walk(shown):
        if node.key == COMPANY:
            box, row = _company_box(org, hr)
        elif node.hidden:
            box, row = _more_box(org, originals, node, facts.total)
        else:
            box, row = _unit_box(facts, node)
        boxes[node.key] = box
        names[node.key] = box.name
        part_of = "" if parent is None else names[parent]
        rows.append((row[0], part_of, *row[1:]))
    lanes = _lanes(org, _box_of(originals, shown), names)

    low, high = hr.span_range
    notes = [t("charts_org.legend", low=low, high=high, above=ABOVE, below=BELOW)]
    if lanes:
        notes.append(t("charts_org.legend_lanes"))
    hidden = len(originals) - sum(1 for node, _ in _walk(shown) if not node.hidden)
    if hidden:
        units = len(org.units)
        notes.append(
            t("charts_org.note_folded", shown=integer(units - hidden), units=integer(units))
        )
    head = [
        text(line, x=8, y=16 + 16 * index, font_size=11, fill=MUTED)
        for index, line in enumerate(notes)
    ]
    drawing = draw_tree(shown, boxes, lanes, top=8 + 16 * len(notes))
    takeaway = _org_takeaway(hr)
    return Chart(
        name=name,
        title=chart_title,
        takeaway=takeaway,
        svg=svg(WIDTH, drawing.height, [*head, *drawing.parts], label=f"{chart_title}: {takeaway}"),
        table=DataTable(header, tuple(rows)),
        marks=drawing.marks,
    )


@draws(Workspace, "org")
def org_chart(workspace: Workspace) -> Chart:
    """Today's org chart: the unit tree with heads, people and spans, dotted lines to chapters.

    At most 40 rows of units and 3 levels below the top are drawn; a unit whose units are
    hidden says "+N units", a parent with more than 15 units shows the biggest and one box for
    the rest, and a note above the chart says how many units are shown.
    """
    org = workspace.organization
    return _draw_org("org_today", t("charts_org.org_today"), org, workspace.analysis().hr)


@draws(Comparison, "org")
def design_org_chart(comparison: Comparison, *, scenario: str = "status_quo") -> Chart:
    """The org chart of the design ``scenario`` (see :func:`org_chart`)."""
    score = comparison.scenario(scenario)
    return _draw_org(
        f"org_{scenario}",
        t("charts_org.org_design", design=design_label(scenario)),
        score.organization,
        score.analysis.hr,
    )


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
            managers=_plural("managers", count),
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
    takeaway = _spans_takeaway(hr)
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
        label = truncate(f"{archetype.name} {rng}", x1 - x0 - 4, 11)
        parts.append(
            text(label, x=(x0 + x1) / 2, y=33, font_size=11, text_anchor="middle", fill=INK)
        )
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
            managers=_plural("managers", band.managers),
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
        tip = t("charts_org.tip_layer", layer=layer, people=_plural("people", people))
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
        info = _plural("people", people)
        if managers:
            inner = max(2 * half * managers / widest, 2.0)
            mean_text = number(round(mean or 0, 1))
            manager_tip = t(
                "charts_org.tip_layer_managers",
                layer=layer,
                managers=_plural("managers", managers),
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
                managers=_plural("managers", managers),
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
        return _plural(
            "layers_one_over_one",
            len(names),
            layers=hr.layers,
            managers=_plural("managers", len(names)),
            names=shown,
        )
    if not hr.span_per_layer:
        return t("charts_org.layers_flat", people=_plural("people", hr.headcount))
    # A layer of one manager (the CEO) says more about that person than about the layer.
    shared = [layer for layer in hr.span_per_layer if layer.managers > 1] or hr.span_per_layer
    narrowest = min(shared, key=lambda layer: (layer.mean_span, layer.layer))
    return t(
        "charts_org.layers_narrowest",
        layers=hr.layers,
        layer=narrowest.layer,
        mean=number(round(narrowest.mean_span, 1)),
    )
