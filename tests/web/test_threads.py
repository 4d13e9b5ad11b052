"""Flat comment rows become nested threads, and threads a list in reading order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orglens.web.threads import MAX_DEPTH, Node, build, flatten

START = datetime(2025, 3, 1, 9, 0)


@dataclass(frozen=True)
class Row:
    id: int
    parent_id: int | None
    minute: int  # minutes after START
    deleted: bool = False

    @property
    def created_at(self) -> datetime:
        return START + timedelta(minutes=self.minute)


def shape(threads: Sequence[Node[Row]]) -> list[tuple[int, int]]:
    """(depth, id) of every comment in reading order, without a cap."""
    return [(depth, node.id) for depth, node in flatten(threads, max_depth=10**9)]


def test_replies_nest_under_the_comment_they_answer_oldest_first() -> None:
    rows = [
        Row(1, None, 0),
        Row(2, None, 5),
        Row(3, 1, 9),  # the later reply to 1
        Row(4, 1, 2),  # the earlier reply to 1
        Row(5, 4, 3),
    ]
    assert shape(build(rows)) == [(0, 1), (1, 4), (2, 5), (1, 3), (0, 2)]


def test_the_order_of_the_rows_given_does_not_matter() -> None:
    rows = [Row(1, None, 0), Row(2, 1, 1), Row(3, 2, 2), Row(4, None, 3)]
    assert shape(build(rows)) == shape(build(reversed(rows)))


def test_comments_written_in_the_same_instant_are_ordered_by_id() -> None:
    rows = [Row(7, None, 0), Row(3, None, 0), Row(5, 3, 1), Row(4, 3, 1)]
    assert shape(build(rows)) == [(0, 3), (1, 4), (1, 5), (0, 7)]


def test_a_node_carries_its_row_unchanged() -> None:
    row = Row(1, None, 0)
    (node,) = build([row])
    assert node.row is row
    assert node.children == ()


def test_a_deleted_comment_with_replies_stays_in_place_as_deleted() -> None:
    (top,) = build([Row(1, None, 0), Row(2, 1, 1, deleted=True), Row(3, 2, 2)])
    (gone,) = top.children
    assert gone.deleted
    assert [reply.id for reply in gone.children] == [3]


def test_a_deleted_comment_without_replies_is_still_shown_as_deleted() -> None:
    threads = build([Row(1, None, 0), Row(2, 1, 1, deleted=True)])
    assert [(depth, node.id, node.deleted) for depth, node in flatten(threads)] == [
        (0, 1, False),
        (1, 2, True),
    ]


def test_a_reply_whose_parent_is_missing_is_shown_at_the_top_level() -> None:
    rows = [Row(1, None, 0), Row(2, 999, 1), Row(3, 2, 2)]  # 999: another workspace's comment
    threads = build(rows)
    assert shape(threads) == [(0, 1), (0, 2), (1, 3)]
    assert threads[1].row.parent_id == 999


def test_a_comment_that_names_itself_as_parent_is_shown_at_the_top_level() -> None:
    assert shape(build([Row(1, 1, 0), Row(2, 1, 1)])) == [(0, 1), (1, 2)]


def test_a_cycle_is_cut_at_its_earliest_comment_and_nothing_is_lost() -> None:
    # 2 and 3 answer each other (a database should never hold this); 4 hangs off the cycle
    # and is older than both, 5 is an ordinary thread
    rows = [Row(2, 3, 5), Row(3, 2, 6), Row(4, 2, 1), Row(5, None, 3)]
    assert shape(build(rows)) == [(0, 5), (0, 2), (1, 4), (1, 3)]


def test_two_separate_cycles_each_start_a_thread() -> None:
    rows = [Row(1, 2, 0), Row(2, 1, 1), Row(3, 4, 3), Row(4, 3, 2)]
    assert shape(build(rows)) == [(0, 1), (1, 2), (0, 4), (1, 3)]


def test_two_rows_with_one_id_are_refused() -> None:
    with pytest.raises(ValueError, match="two comments have the id 1"):
        build([Row(1, None, 0), Row(1, None, 1)])


def test_no_rows_make_no_threads() -> None:
    assert build([]) == ()
    assert list(flatten(())) == []


def test_a_chain_of_ten_thousand_replies_builds_and_flattens() -> None:
    depth = 10_000
    rows = [Row(n, n - 1 if n else None, n) for n in range(depth)]
    threads = build(rows)
    flat = list(flatten(threads))
    assert [node.id for _, node in flat] == list(range(depth))
    assert [shown for shown, _ in flat[:10]] == [0, 1, 2, 3, 4, 5, 6, 7, 8, 8]
    assert {shown for shown, _ in flat[MAX_DEPTH:]} == {MAX_DEPTH}
    assert repr(threads[0]) == "Node(id=0, children=1)"
    assert threads[0].to_dict()["children"] == [1]


def test_flatten_caps_the_indentation_but_keeps_the_reading_order() -> None:
    rows = [Row(1, None, 0), Row(2, 1, 1), Row(3, 2, 2), Row(4, 1, 3), Row(5, None, 4)]
    assert [(depth, node.id) for depth, node in flatten(build(rows), max_depth=1)] == [
        (0, 1),
        (1, 2),
        (1, 3),
        (1, 4),
        (0, 5),
    ]
    assert {depth for depth, _ in flatten(build(rows), max_depth=0)} == {0}


def test_flatten_refuses_a_negative_depth() -> None:
    with pytest.raises(ValueError, match="max_depth must be 0 or more"):
        list(flatten((), max_depth=-1))


def test_max_depth_is_eight() -> None:
    assert MAX_DEPTH == 8


def test_to_dict_names_the_replies_by_id() -> None:
    (top,) = build([Row(1, None, 0), Row(2, 1, 1, deleted=True), Row(3, 1, 2)])
    assert top.to_dict() == {
        "id": 1,
        "parent_id": None,
        "created_at": "2025-03-01T09:00:00",
        "deleted": False,
        "children": [2, 3],
    }
    assert top.children[0].to_dict()["deleted"] is True


ROWS = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(0, 30)),  # parent: none, present, missing or a cycle
        st.integers(0, 5),  # minute: many ties
        st.booleans(),
    ),
    max_size=30,
).map(lambda spec: [Row(i, parent, minute, gone) for i, (parent, minute, gone) in enumerate(spec)])


@given(ROWS)
def test_every_row_appears_once_under_its_real_parent_and_in_time_order(rows: list[Row]) -> None:
    threads = build(rows)
    flat = list(flatten(threads, max_depth=10**9))
    assert sorted(node.id for _, node in flat) == [row.id for row in rows]
    path: list[Node[Row]] = []
    for depth, node in flat:
        del path[depth:]
        if path:
            assert node.row.parent_id == path[-1].id
        path.append(node)
    for group in [threads, *(node.children for _, node in flat)]:
        keys = [(node.row.created_at, node.id) for node in group]
        assert keys == sorted(keys)
