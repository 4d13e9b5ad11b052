"""The org chart of today and of each design.

The org chart draws the unit tree, not every person (a company has a thousand): each unit with
its head, its people (with every unit below it) and its head's span, spans out of range marked
by colour and by ▲/▼; people who keep a dotted line to a chapter (a pod's members) as dashed
lanes from the chapter to the units they work in. Every figure comes from the
:class:`~orglens.lenses.hr.HrResult` the JSON output prints; the organization gives the tree
and who leads each unit. Every word comes from the ``charts_org`` catalogue.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from orglens.display import draws
from orglens.i18n import integer, listed, t
from orglens.lenses.hr import HrResult
from orglens.lenses.spans import ManagerSpan
from orglens.model import Organization
from orglens.report.chart import Chart, DataTable
from orglens.report.charts_spans import ABOVE, BELOW, plural, spans_takeaway
from orglens.report.draw_bars import WIDTH, empty_chart
from orglens.report.draw_tree import Box, Lane, Node, descendants, draw_tree, levels_that_fit, prune
from orglens.report.labels import design_label
from orglens.report.svg import MUTED, svg, text
from orglens.workspace import Comparison, Workspace

__all__ = ["design_org_chart", "org_chart"]

#: The box of the whole company when the units have no single top unit.
COMPANY = "\x00company"
#: What the org chart shows at most: leaf rows, levels below the top, units under one parent,
#: dotted-line lanes (chapters with the most people first).
ROWS = 40
LEVELS = 3
CHILDREN = 15
LANES = 10


def _marker(flag: str | None) -> str:
    return ABOVE if flag == "above range" else BELOW if flag == "below range" else ""


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
        notes.append(t("charts_org.note_chapter", people=plural("people", chapter.members)))
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
    people = plural("people", total[node.key])
    folded = plural("folded", node.folded) if node.folded else ""
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
    people = plural("people", hr.headcount)
    tip = t("charts_org.tip_unit", unit=org.name, people=people)
    return Box(org.name, people, tip=tip), (org.name, "", integer(hr.headcount), "", "")


def _more_box(
    org: Organization, originals: Mapping[str, Node], node: Node, total: Mapping[str, int]
) -> tuple[Box, tuple[str, ...]]:
    units = sum(1 for unit in node.hidden for _ in descendants(originals[unit]))
    people = sum(total[unit] for unit in node.hidden)
    names = [org.unit_by_id[unit].name or unit for unit in node.hidden]
    label = plural("more_units", units)
    shown = plural("people", people)
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
        people = plural("people", sum(targets.values()))
        lanes.append(
            Lane(
                source,
                {
                    target: (
                        count,
                        t(
                            "charts_org.tip_dot",
                            unit=names[target],
                            people=plural("people", count),
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
    said = spans_takeaway(hr)
    if hr.chapters:
        people = sum(chapter.members for chapter in hr.chapters)
        said = t(
            "charts_org.org_with_chapters",
            spans=said.removesuffix("."),
            people=plural("people", people),
            chapters=plural("chapters", len(hr.chapters)),
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
