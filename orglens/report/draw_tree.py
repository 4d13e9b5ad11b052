"""The org chart's tree: which units to show within a budget of rows, where each box goes, and
its drawing (boxes, reporting lines, and the dashed lanes of dotted lines to chapters).

The tree reads left to right: the top unit is a header box, departments form the first column,
their units the next, and so on. A unit tree of a real company is wide (5-15 departments, a few
units each) rather than deep, so columns of one level each keep every name readable in the
report's 760 px, where a top-down chart would squeeze eight departments into 90 px boxes. Each
leaf takes one row, a parent sits level with the middle of its children.

Big trees are cut to a budget before drawing (:func:`prune`): levels are opened one at a time,
bigger units first, while the rows fit; a unit whose units stay hidden says "+N units", and a
parent with too many units shows the biggest and one box for the rest.

Examples
--------
>>> tree = Node("top", (Node("a", (Node("a1"), Node("a2"))), Node("b")))
>>> shown = prune(tree, weight={"top": 9, "a": 5, "a1": 3, "a2": 2, "b": 4}, rows=2)
>>> [(child.key, child.folded) for child in shown.children]
[('a', 2), ('b', 0)]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

from orglens.report.draw_bars import WIDTH, truncate
from orglens.report.svg import INK, MUTED, WARN, element, text, text_width, title

__all__ = [
    "MORE",
    "Box",
    "Lane",
    "Node",
    "Placed",
    "TreeDrawing",
    "descendants",
    "draw_tree",
    "fit_name",
    "levels_that_fit",
    "place",
    "prune",
]

#: The key of the box standing for the units of a parent that are not drawn.
MORE = "\x00more"

MARGIN = 8
INDENT = 18  # the departments' column, right of the top box's reporting line
GAP = 24  # between columns: room for the reporting lines
BOX_HEIGHT = 36
PITCH = 42  # one row
LANE = 14  # one dotted-line lane
MAX_COLUMN = 250
#: A column narrower than this cuts most unit names: fewer levels are shown instead.
MIN_COLUMN = 190
#: The lanes' colours: Okabe–Ito without its yellow (too faint as a dashed line on white) and
#: its vermillion (the warning colour), then dark colours that keep a white number readable.
LANE_COLOURS = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#000000",
    "#56B4E9",
    "#8C564B",
    "#882255",
    "#6e7781",
    "#44AA99",
)
#: Lane colours light enough that their number is written in ink rather than white.
LIGHT = frozenset({"#E69F00", "#56B4E9"})
NAME_SIZE = 12
BOLD = 1.15  # bold text is this much wider than text_width estimates
DETAIL_SIZE = 11


@dataclass(frozen=True)
class Node:
    """A unit of the tree to prune: ``key`` and its children; after :func:`prune`, ``folded``
    counts the units below it that are not shown, and a node keyed :data:`MORE` + its parent's
    key stands for the ``hidden`` units of that parent left out."""

    key: str
    children: tuple[Node, ...] = ()
    folded: int = 0
    hidden: tuple[str, ...] = ()


def descendants(node: Node) -> Iterator[Node]:
    """``node`` and every node below it, parents before children, in order (without recursion:
    a unit tree may be thousands deep)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def _sizes(tree: Node) -> dict[str, int]:
    """How many nodes each subtree of ``tree`` holds, itself included."""
    order = list(descendants(tree))
    size: dict[str, int] = {}
    for node in reversed(order):  # children before their parent
        size[node.key] = 1 + sum(size[child.key] for child in node.children)
    return size


def _opened(
    node: Node, weight: Mapping[str, float], size: Mapping[str, int], most: int
) -> tuple[Node, ...]:
    """``node``'s children, closed; beyond ``most``, the biggest ``most - 1`` in their order and
    one :data:`MORE` node for the rest."""
    children = node.children
    if len(children) <= most:
        kept = {child.key for child in children}
    else:
        ranked = sorted(children, key=lambda child: -weight.get(child.key, 0))
        kept = {child.key for child in ranked[: most - 1]}
    shown = tuple(
        replace(child, children=(), folded=size[child.key] - 1)
        for child in children
        if child.key in kept
    )
    if len(shown) == len(children):
        return shown
    rest = tuple(child.key for child in children if child.key not in kept)
    return (*shown, Node(MORE + node.key, hidden=rest))


def prune(
    tree: Node,
    *,
    weight: Mapping[str, float],
    rows: int = 40,
    levels: int = 3,
    most: int = 15,
) -> Node:
    """``tree`` cut to at most ``rows`` leaves and ``levels`` levels below its top.

    The top's children are always shown; then, level by level, each unit with children is
    opened (biggest ``weight`` first) when its children still fit in ``rows``; once a unit of a
    level stays closed, no deeper level is opened. A parent shows at most ``most`` children (the
    biggest, in their order, then one :data:`MORE` node).
    """
    originals = {node.key: node for node in descendants(tree)}
    size = _sizes(tree)
    most = max(most, 2)
    opened: dict[str, tuple[Node, ...]] = {tree.key: _opened(tree, weight, size, most)}
    frontier = [child for child in opened[tree.key] if not child.hidden]
    used = len(opened[tree.key]) or 1
    for _ in range(1, levels):
        nxt: list[Node] = []
        left_closed = False
        for node in sorted(frontier, key=lambda n: -weight.get(n.key, 0)):
            original = originals[node.key]
            if not original.children:
                continue
            children = _opened(original, weight, size, most)
            if used + len(children) - 1 > rows:
                left_closed = True
                continue
            used += len(children) - 1
            opened[node.key] = children
            nxt.extend(child for child in children if not child.hidden)
        # A deeper level is opened only below a complete one: no team of one department shown
        # while another department's units stay hidden.
        frontier = [] if left_closed else nxt

    def build(node: Node) -> Node:
        if node.key not in opened:
            return node
        return replace(node, children=tuple(build(child) for child in opened[node.key]), folded=0)

    return build(replace(tree, children=(), folded=size[tree.key] - 1))


@dataclass(frozen=True)
class Box:
    """What a unit's box shows: ``name`` and ``people`` on its first line, ``head`` and ``span``
    on the second (``warn``: the span is out of range), ``tip`` its tooltip; ``more`` marks the
    box that stands for units left out, ``folded`` the box whose units are hidden below it."""

    name: str
    people: str
    head: str = ""
    span: str = ""
    warn: bool = False
    tip: str = ""
    more: bool = False
    folded: bool = False


@dataclass(frozen=True)
class Lane:
    """A dotted line drawn as a dashed lane from the box ``source`` (a chapter) to the boxes in
    ``targets`` (``{key: (count, tip)}``: where its members work); ``tip`` names the lane."""

    source: str
    targets: Mapping[str, tuple[int, str]]
    tip: str


@dataclass(frozen=True)
class Placed:
    """Where a box goes: its ``column`` (-1 for the top box) and its rectangle."""

    key: str
    column: int
    x: float
    y: float
    width: float

    @property
    def middle(self) -> float:
        return self.y + BOX_HEIGHT / 2

    @property
    def right(self) -> float:
        return self.x + self.width


@dataclass(frozen=True)
class TreeDrawing:
    """The drawn tree: its SVG ``parts`` (to put in an ``<svg>`` with :func:`svg`), its
    ``height``, how many ``marks`` it draws, and the ``order`` of the boxes, top to bottom."""

    parts: tuple[str, ...]
    height: float
    marks: int
    order: tuple[str, ...] = field(default=())


def _column(levels: int, lanes: int, width: float) -> tuple[float, float]:
    """The width of a column when ``levels`` columns and ``lanes`` lanes share ``width``, and
    the room left for the columns."""
    gutter = lanes * LANE + (12 if lanes else 0)
    free = width - 2 * MARGIN - INDENT - gutter - (levels - 1) * GAP
    return min(MAX_COLUMN, free / max(levels, 1)), free


def levels_that_fit(lanes: int = 0, width: float = WIDTH) -> int:
    """How many levels (columns) fit beside ``lanes`` lanes with no column below MIN_COLUMN
    (at least one).

    >>> levels_that_fit(0), levels_that_fit(10)
    (3, 2)
    """
    levels = 1
    while _column(levels + 1, lanes, width)[0] >= MIN_COLUMN:
        levels += 1
    return levels


def place(tree: Node, *, top: float = 0.0, width: float = WIDTH, lanes: int = 0) -> list[Placed]:
    """Each box of ``tree`` placed: the top box above, then one column per level, leaves one
    row each in order, parents level with the middle of their children; ``lanes`` dotted-line
    lanes take room at the right."""
    column, free = _column(_depth(tree), lanes, width)
    first_row = top + MARGIN + BOX_HEIGHT + 12
    placed = [Placed(tree.key, -1, MARGIN, top + MARGIN, max(column, min(free, 260)))]
    row = 0

    def visit(node: Node, level: int) -> float:
        nonlocal row
        x = MARGIN + INDENT + level * (column + GAP)
        if not node.children:
            y = first_row + row * PITCH
            row += 1
        else:
            middles = [visit(child, level + 1) for child in node.children]
            y = (middles[0] + middles[-1]) / 2 - BOX_HEIGHT / 2
        placed.append(Placed(node.key, level, x, y, column))
        return y + BOX_HEIGHT / 2

    for child in tree.children:
        visit(child, 0)
    return placed


def _depth(node: Node) -> int:
    return max((1 + _depth(child) for child in node.children), default=0)


def draw_tree(
    tree: Node,
    boxes: Mapping[str, Box],
    lanes: Sequence[Lane] = (),
    *,
    top: float = 0.0,
    width: float = WIDTH,
) -> TreeDrawing:
    """Draw ``tree`` with each node's :class:`Box` (by key) and the dotted-line ``lanes``,
    starting ``top`` px down.

    Every box is a mark (a ``<g class="mark">`` whose tooltip is its ``tip``), as is every lane
    and every dot where a lane meets the box of its members; reporting lines are not marks.
    """
    where = {p.key: p for p in place(tree, top=top, width=width, lanes=len(lanes))}
    parts = [*_reporting_lines(tree, where)]
    lane_parts, lane_marks = _lanes(lanes, where, width)
    parts.extend(lane_parts)
    order = []
    for spot in sorted(where.values(), key=lambda p: (p.y, p.x)):
        key = spot.key
        box = boxes[key]
        parts.append(_box(box, spot))
        order.append(key)
    bottom = max((p.y + BOX_HEIGHT for p in where.values()), default=top)
    return TreeDrawing(tuple(parts), bottom + MARGIN, len(where) + lane_marks, tuple(order))


def _reporting_lines(tree: Node, where: Mapping[str, Placed]) -> list[str]:
    paths = []

    def visit(node: Node) -> None:
        if not node.children:
            return
        mine = where[node.key]
        kids = [where[child.key] for child in node.children]
        if mine.column < 0:
            bus = mine.x + INDENT / 2
            start = mine.y + BOX_HEIGHT
        else:
            bus = mine.right + GAP / 2
            start = mine.middle
        d = [f"M{mine.right if mine.column >= 0 else bus:.1f},{start:.1f}"]
        if mine.column >= 0:
            d.append(f"H{bus:.1f}")
        low = max(k.middle for k in kids)
        high = min([k.middle for k in kids] + ([start] if mine.column >= 0 else []))
        d.append(f"M{bus:.1f},{min(high, start):.1f}V{low:.1f}")
        d.extend(f"M{bus:.1f},{k.middle:.1f}H{k.x:.1f}" for k in kids)
        paths.append(element("path", d="".join(d), fill="none", stroke=MUTED, stroke_width=1))
        for child in node.children:
            visit(child)

    visit(tree)
    return paths


def _lanes(
    lanes: Sequence[Lane], where: Mapping[str, Placed], width: float
) -> tuple[list[str], int]:
    """The dashed lanes, at the right: a stub from the chapter's box to its lane, the lane down
    (or up) past every box of its members, a dot with the number of members on each."""
    if not lanes:
        return [], 0
    first = width - MARGIN - len(lanes) * LANE
    parts: list[str] = []
    rails: dict[str, float] = {}
    marks = 0
    dots = []
    # The lowest chapter gets the leftmost lane: a stub from a chapter to its lane then crosses
    # no lane of a chapter above it, when the chapters sit above the units their people work in.
    ordered = sorted(lanes, key=lambda lane: -where[lane.source].middle)
    for index, lane in enumerate(ordered):
        x = first + index * LANE + LANE / 2
        source = where[lane.source]
        ends = [where[key].middle for key in lane.targets]
        low, high = min([source.middle, *ends]), max([source.middle, *ends])
        stroke = LANE_COLOURS[index % len(LANE_COLOURS)]
        parts.append(
            element(
                "path",
                title(lane.tip),
                d=f"M{source.right:.1f},{source.middle:.1f}H{x:.1f}M{x:.1f},{low:.1f}V{high:.1f}",
                fill="none",
                stroke=stroke,
                stroke_width=1.5,
                stroke_dasharray="4 3",
                class_="mark",
            )
        )
        marks += 1
        for key, (count, tip) in lane.targets.items():
            rails[key] = max(rails.get(key, 0.0), x)
            spot = where[key]
            label = str(count) if count < 100 else "99+"
            dots.append(
                element(
                    "g",
                    [
                        title(tip),
                        element("circle", cx=x, cy=spot.middle, r=6.5, fill=stroke, stroke="#fff"),
                        text(
                            label,
                            x=x,
                            y=spot.middle + 3,
                            font_size=8,
                            font_weight="bold",
                            text_anchor="middle",
                            fill=INK if stroke in LIGHT else "#fff",
                        ),
                    ],
                    class_="mark",
                )
            )
            marks += 1
    rail_parts = [
        element(
            "path",
            d=f"M{where[key].right:.1f},{where[key].middle:.1f}H{x:.1f}",
            stroke=MUTED,
            stroke_width=1,
            stroke_dasharray="2 2",
        )
        for key, x in rails.items()
    ]
    return [*rail_parts, *parts, *dots], marks


def fit_name(name: str, width: float, size: float = NAME_SIZE) -> str:
    """``name`` cut to ``width`` px, keeping a short last word that tells siblings apart.

    >>> fit_name("Pod consideration 5", 100)
    'Pod conside… 5'
    >>> fit_name("Customer Success", 100), fit_name("Sales", 100)
    ('Customer Suc…', 'Sales')
    """
    if text_width(name, size) <= width:
        return name
    head, _, last = name.rpartition(" ")
    if head and len(last) <= 4:
        return f"{truncate(head, width - text_width(' ' + last, size), size)} {last}"
    return truncate(name, width, size)


def _box(box: Box, spot: Placed) -> str:
    x, y, w = spot.x, spot.y, spot.width
    pad = 7
    people_width = text_width(box.people, DETAIL_SIZE)
    span_width = text_width(box.span, DETAIL_SIZE) * (1.1 if box.warn else 1)
    name = fit_name(box.name, w - 2 * pad - people_width - 10, NAME_SIZE * BOLD)
    head = truncate(box.head, w - 2 * pad - span_width - 8, DETAIL_SIZE)
    parts = [title(box.tip or box.name)]
    if box.folded:
        for offset in (4, 2):
            parts.append(
                element(
                    "rect",
                    x=x + offset,
                    y=y + offset,
                    width=w,
                    height=BOX_HEIGHT,
                    rx=4,
                    fill="#fff",
                    stroke=MUTED,
                    stroke_width=0.8,
                )
            )
    parts.append(
        element(
            "rect",
            x=x,
            y=y,
            width=w,
            height=BOX_HEIGHT,
            rx=4,
            fill="#f6f8fa" if box.more else "#fff",
            stroke=WARN if box.warn else MUTED if box.more else INK,
            stroke_width=2 if box.warn else 1,
            stroke_dasharray="3 2" if box.more else None,
        )
    )
    weight = "normal" if box.more else "bold"
    parts.append(text(name, x=x + pad, y=y + 15, font_size=NAME_SIZE, font_weight=weight, fill=INK))
    parts.append(
        text(
            box.people,
            x=x + w - pad,
            y=y + 15,
            font_size=DETAIL_SIZE,
            text_anchor="end",
            fill=MUTED,
        )
    )
    if head:
        parts.append(text(head, x=x + pad, y=y + 29, font_size=DETAIL_SIZE, fill=MUTED))
    if box.span:
        parts.append(
            text(
                box.span,
                x=x + w - pad,
                y=y + 29,
                font_size=DETAIL_SIZE,
                text_anchor="end",
                fill=WARN if box.warn else INK,
                font_weight="bold" if box.warn else None,
            )
        )
    return element("g", parts, class_="mark")
