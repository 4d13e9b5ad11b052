"""Comments as threads: flat rows (each naming its parent) to nested nodes, and back to a list.

:func:`build` nests replies under the comment they answer, at any depth, each level in time
order. Nothing is dropped: a deleted comment stays in its place (the page shows "deleted"
instead of its text), whether or not it has replies; a reply whose parent is missing (deleted
from the database, or an id of another workspace or target) is shown at the top level; and rows
whose parents form a cycle (which the database should never hold) are cut at their earliest
comment, which then starts a thread. Both functions use an explicit stack, never recursion, so a
chain of 10,000 replies to replies works.

:func:`flatten` lists the threads in reading order with each comment's depth, capped at
:data:`MAX_DEPTH` so that a template renders them without recursion and the page stays readable.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

__all__ = ["MAX_DEPTH", "CommentRow", "Node", "build", "flatten"]

#: The deepest indentation :func:`flatten` gives by default; deeper replies stay at this depth.
MAX_DEPTH = 8


class CommentRow(Protocol):
    """What :func:`build` reads of a comment (a table row, or any object with these)."""

    @property
    def id(self) -> int: ...

    @property
    def parent_id(self) -> int | None: ...

    @property
    def created_at(self) -> datetime: ...

    @property
    def deleted(self) -> bool: ...


R = TypeVar("R", bound=CommentRow)


@dataclass(frozen=True, slots=True, repr=False)
class Node(Generic[R]):
    """A comment and its replies, oldest first.

    ``row`` is the row given to :func:`build`, unchanged (a template reads its body, author and
    times from it); the page shows "deleted" instead of the body when :attr:`deleted`.
    """

    row: R
    children: tuple[Node[R], ...] = ()

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def deleted(self) -> bool:
        return self.row.deleted

    def __repr__(self) -> str:  # not the dataclass one: it would recurse through every reply
        return f"Node(id={self.id!r}, children={len(self.children)})"

    def to_dict(self) -> dict[str, Any]:
        """This comment with the ids of its replies (flat, so a deep thread stays JSON-able).

        Examples
        --------
        >>> from datetime import datetime
        >>> from typing import NamedTuple
        >>> class Row(NamedTuple):
        ...     id: int
        ...     parent_id: int | None
        ...     created_at: datetime
        ...     deleted: bool = False
        >>> (thread,) = build([Row(1, None, datetime(2025, 3, 1)), Row(2, 1, datetime(2025, 3, 2))])
        >>> thread.to_dict()["created_at"], thread.to_dict()["children"]
        ('2025-03-01T00:00:00', [2])
        """
        return {
            "id": self.row.id,
            "parent_id": self.row.parent_id,
            "created_at": self.row.created_at.isoformat(),
            "deleted": self.row.deleted,
            "children": [child.id for child in self.children],
        }


def _order(row: CommentRow) -> tuple[datetime, int]:
    return row.created_at, row.id


def _earliest_on_cycle(row: R, parent_of: dict[int, R]) -> R:
    """The earliest comment of the cycle that ``row``'s chain of parents runs into."""
    walked: set[int] = set()
    while row.id not in walked:
        walked.add(row.id)
        row = parent_of[row.id]
    cycle = [row]
    while (parent := parent_of[cycle[-1].id]) is not row:
        cycle.append(parent)
    return min(cycle, key=_order)


def build(rows: Iterable[R], /) -> tuple[Node[R], ...]:
    """The threads of ``rows``: top-level comments (and orphans) with their replies nested.

    Every row appears exactly once. Siblings are in time order (``created_at``, then ``id``).

    Raises
    ------
    ValueError
        When two rows have the same id.

    Examples
    --------
    >>> from datetime import datetime
    >>> from typing import NamedTuple
    >>> class Row(NamedTuple):
    ...     id: int
    ...     parent_id: int | None
    ...     created_at: datetime
    ...     deleted: bool = False
    >>> at = [datetime(2025, 3, day) for day in range(1, 6)]
    >>> rows = [Row(1, None, at[0]), Row(2, 1, at[2], True), Row(3, 1, at[1]), Row(4, 2, at[3])]
    >>> [(depth, node.id, node.deleted) for depth, node in flatten(build(rows))]
    [(0, 1, False), (1, 3, False), (1, 2, True), (2, 4, False)]
    >>> [node.id for node in build([Row(5, 99, at[4]), *rows])]  # 99 is not here: top level
    [1, 5]
    """
    by_id: dict[int, R] = {}
    for row in rows:
        if row.id in by_id:
            raise ValueError(f"two comments have the id {row.id!r}; ids must be unique")
        by_id[row.id] = row
    in_time = sorted(by_id.values(), key=_order)
    replies: dict[int, list[R]] = {}
    parent_of: dict[int, R] = {}
    roots: list[R] = []
    for row in in_time:
        parent = row.parent_id
        if parent is None or parent == row.id or parent not in by_id:
            roots.append(row)
        else:
            replies.setdefault(parent, []).append(row)
            parent_of[row.id] = by_id[parent]
    seen: set[int] = set()
    order: list[R] = []  # preorder: a comment before its replies
    kept: dict[int, list[R]] = {}  # the replies each comment is shown with
    for start in [*roots, *in_time]:
        if start.id in seen:
            continue
        if start.id in parent_of:  # a reply no root reaches: its parents run into a cycle
            start = _earliest_on_cycle(start, parent_of)
        seen.add(start.id)
        stack = [start]
        while stack:
            row = stack.pop()
            order.append(row)
            kept[row.id] = [reply for reply in replies.get(row.id, ()) if reply.id not in seen]
            seen.update(reply.id for reply in kept[row.id])
            stack.extend(reversed(kept[row.id]))
    nodes: dict[int, Node[R]] = {}
    for row in reversed(order):  # every reply is built before the comment it answers
        nodes[row.id] = Node(row, tuple(nodes.pop(reply.id) for reply in kept[row.id]))
    # what is left are the tops: the roots, and the earliest comment of each cycle
    return tuple(nodes[row.id] for row in in_time if row.id in nodes)


def flatten(
    threads: Iterable[Node[R]], /, *, max_depth: int = MAX_DEPTH
) -> Iterator[tuple[int, Node[R]]]:
    """Every comment of ``threads`` in reading order, with its depth (0 at the top level).

    A reply deeper than ``max_depth`` keeps its place in the order but is given ``max_depth``.

    Examples
    --------
    >>> from datetime import datetime
    >>> from typing import NamedTuple
    >>> class Row(NamedTuple):
    ...     id: int
    ...     parent_id: int | None
    ...     created_at: datetime
    ...     deleted: bool = False
    >>> chain = [Row(n, n - 1 if n else None, datetime(2025, 3, 1, n)) for n in range(4)]
    >>> [(depth, node.id) for depth, node in flatten(build(chain), max_depth=1)]
    [(0, 0), (1, 1), (1, 2), (1, 3)]
    """
    if max_depth < 0:
        raise ValueError(f"max_depth must be 0 or more, not {max_depth!r}")
    stack = [(0, node) for node in reversed(tuple(threads))]
    while stack:
        depth, node = stack.pop()
        yield min(depth, max_depth), node
        stack.extend((depth + 1, child) for child in reversed(node.children))
