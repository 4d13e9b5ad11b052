"""The journey drawn as swimlanes, and what the flow, funnel and matrix drawings share.

The drawings take what to show already worded and formatted (labels, numbers as text,
tooltips) and place it; :mod:`orglens.report.charts_journey` decides what to show. Every data
mark is a ``<g class="mark">`` whose first child is its ``<title>``.

- :func:`swimlane`: the journey top to bottom, one row per activity in the lane (column) of the
  unit doing it, stages as bands; a line crossing lanes is a handoff between units, labelled.
  Each activity gets a row of its own so that its name is readable at the report's width.
- What the drawings share: a :class:`Drawing` and its marks, text measured (:func:`measure`),
  cut (:func:`fit`) and wrapped (:func:`wrap`) to a width, a fill that text reads on
  (:func:`tint`), a muted caption (:func:`caption_lines`) and an :func:`arrowhead`. The arcs
  are :mod:`~orglens.report.draw_arcs`, the funnel :mod:`~orglens.report.draw_funnel`, the
  matrices :mod:`~orglens.report.draw_matrix`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from orglens.report.svg import FONT, INK, MUTED, element, literal, svg, text, text_width, title

__all__ = [
    "BOX_H",
    "LINE_H",
    "SMALL",
    "WIDTH",
    "Drawing",
    "Lane",
    "Link",
    "Row",
    "arrowhead",
    "caption_lines",
    "fit",
    "measure",
    "swimlane",
    "tint",
    "wrap",
]

#: The report column's width (px).
WIDTH = 760
ELLIPSIS = "…"
#: The size of small text: notes, captions, values in a box (px).
SMALL = FONT - 1


@dataclass(frozen=True)
class Drawing:
    """An SVG and how many data marks (``class="mark"``) it holds."""

    svg: str
    marks: int


def measure(content: str, size: float = FONT) -> float:
    """:func:`~orglens.report.svg.text_width` with a tenth to spare: fonts vary between
    systems, and a label cut a little early reads better than one that overlaps."""
    return text_width(content, size) * 1.1


def fit(content: str, width: float, size: float = FONT) -> str:
    """``content`` cut with "…" to fit ``width`` px (the full text belongs in a tooltip).

    >>> fit("Qualification call, MQL to SQL", 80)
    'Qualificati…'
    >>> fit("Sales", 80)
    'Sales'
    """
    if measure(content, size) <= width:
        return content
    kept = content
    while kept and measure(kept + ELLIPSIS, size) > width:
        kept = kept[:-1]
    return kept.rstrip() + ELLIPSIS if kept else ELLIPSIS


def wrap(content: str, width: float, size: float = FONT, lines: int = 2) -> tuple[str, ...]:
    """``content`` in at most ``lines`` lines of ``width`` px, broken between words; the last
    line cut with "…" when the text does not fit.

    >>> wrap("Customer success and onboarding", 120)
    ('Customer success', 'and onboarding')
    """
    words = content.split()
    found: list[str] = []
    while words and len(found) < lines:
        line = words.pop(0)
        while words and measure(f"{line} {words[0]}", size) <= width:
            line = f"{line} {words.pop(0)}"
        found.append(line)
    if words:
        found[-1] = f"{found[-1]} {' '.join(words)}"
    return tuple(fit(line, width, size) for line in found) or ("",)


def tint(colour: str, share: float = 0.82) -> str:
    """``colour`` (``#rrggbb``) mixed with ``share`` white: a fill that dark text reads on.

    >>> tint("#0072B2")
    '#d1e6f1'
    """
    if not colour.startswith("#") or len(colour) != 7:
        return "#eeeeee"
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * share):02x}" for c in channels)


def caption_lines(caption: str, y: float) -> tuple[list[str], float]:
    """``caption`` as muted lines from ``y`` across the chart's width, and the height they
    take (none for an empty caption)."""
    if not caption:
        return [], 0.0
    lines = wrap(caption, WIDTH - 12, SMALL, lines=4)
    parts = [
        text(line, x=4, y=y + 12 + 14 * n, fill=MUTED, font_size=SMALL)
        for n, line in enumerate(lines)
    ]
    return parts, 14.0 * len(lines) + 8


def arrowhead(x: float, y: float, down: bool, fill: str, size: float = 5.0) -> str:
    """A filled arrowhead of ``size`` px whose tip is at (``x``, ``y``), pointing down (or up)."""
    back = y - size * 1.6 if down else y + size * 1.6
    return element(
        "path",
        d=f"M{x - size:.1f},{back:.1f} L{x:.1f},{y:.1f} L{x + size:.1f},{back:.1f} Z",
        fill=fill,
    )


@dataclass(frozen=True)
class Lane:
    """A column of the swimlane: a unit (or "other"), its name and colour."""

    label: str
    colour: str


@dataclass(frozen=True)
class Row:
    """An activity of the journey: its ``lane`` (index), ``stage``, name, a muted ``note``
    beside it (the unit within the lane's group), ``value`` shown in its box (the volume),
    ``tooltip``; ``dashed`` when it stands for several activities or for no known unit."""

    lane: int
    stage: str
    label: str
    note: str
    value: str
    tooltip: str
    dashed: bool = False


@dataclass(frozen=True)
class Link:
    """A step from one row to another; ``cross`` when it crosses units (drawn strong and
    labelled), ``weight`` sets its thickness."""

    source: int
    target: int
    weight: float
    cross: bool
    label: str
    tooltip: str


_STAGE_W = 118.0
#: The height of a box: an activity of the journey, a stage of the funnel (px).
BOX_H = 20.0
#: The distance between lines of a header or a label (px).
LINE_H = 13.0


def _row_positions(rows: Sequence[Row], links: Sequence[Link], top: float) -> list[float]:
    """The top of each row's box: a wide gap before a row that a labelled handoff enters from
    the row above, a narrow one otherwise, and a little more where a new stage starts."""
    labelled = {link.target for link in links if link.cross and link.source == link.target - 1}
    found: list[float] = []
    y = top
    for index, row in enumerate(rows):
        if index:
            y += 22.0 if index in labelled else 9.0
            if row.stage != rows[index - 1].stage:
                y += 8.0
        found.append(y)
        y += BOX_H
    return found


def swimlane(
    lanes: Sequence[Lane],
    rows: Sequence[Row],
    links: Sequence[Link],
    *,
    caption: str,
    label: str,
) -> Drawing:
    """The journey top to bottom: ``rows`` in order, each in its lane; ``links`` between rows.

    >>> lanes = [Lane("Marketing", "#0072B2"), Lane("Sales", "#E69F00")]
    >>> rows = [Row(0, "Lead", "Campaign", "", "1,000", "Campaign: 1,000 a year"),
    ...         Row(1, "Deal", "Demo", "", "100", "Demo: 100 a year")]
    >>> links = [Link(0, 1, 100, True, "100", "Marketing → Sales: 100 a year")]
    >>> swimlane(lanes, rows, links, caption="", label="journey").marks
    3
    """
    count = max(len(lanes), 1)
    left = _STAGE_W + 6
    lane_w = (WIDTH - left - 4) / count
    # Narrow lanes get a smaller header, in up to three lines.
    heading = FONT if lane_w >= 100 else SMALL
    headers = [wrap(lane.label, lane_w - 8, heading, lines=3) for lane in lanes]
    header_h = LINE_H * max((len(h) for h in headers), default=1) + 14
    tops = _row_positions(rows, links, header_h + 12)
    bottom = (tops[-1] + BOX_H if tops else header_h) + 14
    parts: list[str] = []
    parts.extend(_stage_bands(rows, tops, bottom))
    for index, (lane, lines) in enumerate(zip(lanes, headers, strict=True)):
        x = left + index * lane_w
        if index:
            parts.append(element("line", x1=x, y1=header_h, x2=x, y2=bottom, stroke="#d0d7de"))
        parts.append(
            element(
                "g",
                [title(lane.label)]
                + [
                    text(
                        line,
                        x=x + lane_w / 2,
                        y=12 + LINE_H * n,
                        text_anchor="middle",
                        font_weight=600,
                        font_size=heading,
                        fill=INK,
                    )
                    for n, line in enumerate(lines)
                ],
            )
        )
        parts.append(
            element("rect", x=x + 4, y=header_h, width=lane_w - 8, height=5, fill=lane.colour)
        )
    heaviest = max((link.weight for link in links if link.cross), default=0.0)
    for link in links:
        parts.append(_link(link, rows, tops, left, lane_w, heaviest))
    # Where a lane's name is cut in the header, its rows say it beside their names.
    cut = {i for i, lines in enumerate(headers) if any(ln.endswith(ELLIPSIS) for ln in lines)}
    for row, y in zip(rows, tops, strict=True):
        if row.lane in cut and not row.note:
            row = replace(row, note=lanes[row.lane].label)
        parts.append(_box(row, lanes[row.lane], y, left, lane_w))
    notes, extra = caption_lines(caption, bottom)
    parts.extend(notes)
    height = bottom + extra
    marks = len(rows) + len(links)
    return Drawing(svg(WIDTH, height, parts, label=label), marks)


def _stage_bands(rows: Sequence[Row], tops: Sequence[float], bottom: float) -> list[str]:
    """A light band behind every other stage, and each stage's name at its first row."""
    parts: list[str] = []
    starts = [i for i, row in enumerate(rows) if i == 0 or row.stage != rows[i - 1].stage]
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(rows)
        y0 = tops[start] - 6
        y1 = tops[end] - 10 if end < len(rows) else bottom - 6
        if number % 2 == 0:
            parts.append(element("rect", x=0, y=y0, width=WIDTH, height=y1 - y0, fill="#f6f8fa"))
        lines = wrap(rows[start].stage, _STAGE_W - 8, FONT, lines=max(1, int((y1 - y0) // 14)))
        parts.append(
            element(
                "g",
                [title(rows[start].stage)]
                + [
                    text(line, x=4, y=tops[start] + 14 + 14 * n, fill=MUTED, font_weight=600)
                    for n, line in enumerate(lines)
                ],
            )
        )
    return parts


def _centre(row: Row, left: float, lane_w: float) -> float:
    return left + row.lane * lane_w + lane_w / 2


def _box(row: Row, lane: Lane, y: float, left: float, lane_w: float) -> str:
    x = left + row.lane * lane_w + 4
    width = lane_w - 8
    children = [
        title(row.tooltip),
        element(
            "rect",
            x=x,
            y=y,
            width=width,
            height=BOX_H,
            rx=4,
            fill=tint(lane.colour),
            stroke=lane.colour if not row.dashed else MUTED,
            stroke_width=1.5,
            stroke_dasharray="4 3" if row.dashed else None,
        ),
    ]
    if row.value and measure(row.value, SMALL) <= width - 6:
        children.append(
            text(
                row.value,
                x=x + width / 2,
                y=y + 14,
                text_anchor="middle",
                font_size=SMALL,
                fill=INK,
            )
        )
    # The name goes on the side of the box with more room: the row is the activity's own.
    room_right = WIDTH - (x + width) - 8
    room_left = x - _STAGE_W - 14
    on_right = room_right >= room_left
    room = room_right if on_right else room_left
    note_w = measure(row.note, SMALL) + 6 if row.note else 0.0
    name = fit(row.label, max(room - min(note_w, room / 2), 20))
    note = fit(row.note, room - measure(name) - 6, SMALL) if row.note else ""
    # One <text>: the browser sets the note after the name, whatever the font's real widths.
    content = [literal(name)]
    if note and note != ELLIPSIS:
        content.append(element("tspan", literal(note), dx=6, fill=MUTED, font_size=SMALL))
    children.append(
        element(
            "text",
            content,
            x=x + width + 8 if on_right else x - 8,
            y=y + 14,
            text_anchor=None if on_right else "end",
            fill=INK,
        )
    )
    return element("g", children, class_="mark")


def _link(
    link: Link,
    rows: Sequence[Row],
    tops: Sequence[float],
    left: float,
    lane_w: float,
    heaviest: float,
) -> str:
    source, target = rows[link.source], rows[link.target]
    down = link.target > link.source
    x1, x2 = _centre(source, left, lane_w), _centre(target, left, lane_w)
    y1 = tops[link.source] + (BOX_H if down else 0.0)
    y2 = tops[link.target] + (0.0 if down else BOX_H)
    # The turn sits in the gap just before the target, where no box is.
    turn = y2 - (tops[link.target] - tops[link.target - 1] - BOX_H) / 2 if down else y2 + 6
    if link.cross:
        share = (link.weight / heaviest) ** 0.5 if heaviest > 0 else 0.0
        colour, width = INK, 1.5 + 3.5 * share
    else:
        colour, width = MUTED, 1.2
    end = y2 - 7 if down else y2 + 7
    path = f"M{x1:.1f},{y1:.1f} V{turn:.1f} H{x2:.1f} V{end:.1f}"
    children = [
        title(link.tooltip),
        element("path", d=path, fill="none", stroke=colour, stroke_width=width),
        arrowhead(x2, y2, down, colour, 4.0 if not link.cross else 5.0),
    ]
    if link.cross and link.label:
        wide = measure(link.label, SMALL) + 8
        children.append(
            element(
                "rect",
                x=(x1 + x2) / 2 - wide / 2,
                y=turn - 7,
                width=wide,
                height=14,
                rx=3,
                fill="#ffffff",
                stroke=colour,
                stroke_width=0.8,
            )
        )
        children.append(
            text(
                link.label,
                x=(x1 + x2) / 2,
                y=turn + 4,
                text_anchor="middle",
                font_size=SMALL,
                font_weight=600,
                fill=INK,
            )
        )
    return element("g", children, class_="mark")
