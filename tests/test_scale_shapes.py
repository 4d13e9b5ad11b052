"""The fast ways through a large organization give what the plain ways give.

People and coordination needs are read a whole column at a time (:mod:`orglens.io.checked`),
the organization's own checks look at whole columns first, and a CSV file is split into lines a
chunk at a time. Each test here builds small, odd inputs and checks that the records, the
problems (every ``FILE:LINE`` message) and the cycles found are those of the plain way.
"""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orglens.errors import InvalidWorkspace
from orglens.io import load, validate
from orglens.io.tables import text_lines
from orglens.model import CoordinationNeed, Organization, Origin, Person, Unit, checked_records

# Cells a real export may hold, sound and odd: ids that repeat or are empty, units named by id,
# by name in another case or ambiguously, numbers a plain float does not read, percentages...
IDS = ("p1", "p2", "p3", "p4", "p5", "", "p2")
MANAGERS = ("", "p1", "p2", "p3", "p4", "x9")
UNITS = ("Sales", "sales", "Marketing", "u1", "u3", "", "Ops")
COSTS = ("", "100", "1 234", "1,5", "12.5", "-3", "nan", "1e3", "abc", "0", "-0", "1e308")
FTES = ("", "1", "0.5", "80%", "80 %", "x", "-1", "inf", "0")
MODES = ("", "process", "PROJECT", "other")
LISTS = ("", "a;b", "a|a", " b ;; c", "c")
WEIGHTS = ("", "1", "2.5", "0", "-1", "x", "1 000")
PARTIES = ("p1", "p3", "u1", "u3", "Sales", "sales", "Marketing", "nobody", "")

HEADER = ("id", "name", "manager_id", "unit", "role", "competences", "cost", "fte", "work_mode")


# Cells of an export with nothing wrong, most often (so that whole organizations get compared).
SOUND = {
    "manager": ("", "q0", "q1"),
    "unit": ("u1", "u3", "Marketing"),
    "cost": ("", "100", "12.5", "0", "-0", "1e3"),
    "fte": ("", "1", "0.5", "80", "0"),
    "mode": ("", "process", "PROJECT"),
}


def _row(draw: st.DrawFn, index: int, odd: bool) -> list[str]:
    def cell(odd_cells: tuple[str, ...], sound: str) -> str:
        return draw(st.sampled_from(odd_cells if odd else SOUND[sound]))

    cells = [
        draw(st.sampled_from(IDS)) if odd and draw(st.booleans()) else f"q{index}",
        f"Person {index}",
        cell(MANAGERS, "manager") if index else "",
        cell(UNITS, "unit"),
        draw(st.sampled_from(("", "AE", "Editor"))),
        draw(st.sampled_from(LISTS)),
        cell(COSTS, "cost"),
        cell(FTES, "fte"),
        cell(MODES, "mode"),
        draw(st.sampled_from(("", "x", "y"))),  # a column orglens does not define
    ]
    if odd and draw(st.integers(0, 5)) == 0:
        cells = cells[: draw(st.integers(1, len(cells)))]  # a short row
    return cells


@st.composite
def workspaces(draw: st.DrawFn) -> dict[str, str]:
    """The files of a small workspace, in either kind of CSV file, with or without units."""
    delimiter = draw(st.sampled_from((",", ";")))
    odd = draw(st.booleans())
    rows = [_row(draw, index, odd) for index in range(draw(st.integers(1, 12)))]
    header = list(HEADER)
    if draw(st.booleans()):
        header[header.index("fte")] = "Sysselsättningsgrad"  # percentages
    header += ["Extra"] if draw(st.booleans()) else []
    rows = [row[: len(header)] for row in rows]
    files = {"people.csv": _csv([header, *rows], delimiter)}
    if draw(st.booleans()) or not odd:
        units = [["id", "name", "parent"], ["u1", "Sales", ""], ["u2", "Sales", "u1"]]
        units += [["u3", "Marketing", "u1"]]
        files["units.csv"] = _csv(units, delimiter)
    if draw(st.booleans()):
        parties = PARTIES if odd else ("q0", "u1", "Marketing", "sales")
        needs = [
            [draw(st.sampled_from(cells)) for cells in (parties, parties, WEIGHTS, ("", "review"))]
            for _ in range(draw(st.integers(1, 8)))
        ]
        files["coordination.csv"] = _csv([["source", "target", "weight", "kind"], *needs], ",")
    if draw(st.booleans()):
        files["orglens.yaml"] = "columns:\n  people:\n    cost_period: month\n"
    return files


def _csv(rows: list[list[str]], delimiter: str) -> str:
    return "".join(delimiter.join(_quoted(cell, delimiter) for cell in row) + "\n" for row in rows)


def _quoted(cell: str, delimiter: str) -> str:
    return f'"{cell}"' if delimiter in cell or "," in cell else cell


@contextmanager
def _row_by_row() -> Iterator[None]:
    """Every row read by the row-by-row reader, as before the fast way existed."""

    def none_checked(cells: Any, *_: object) -> list[None]:
        return [None] * len(cells.table.rows)

    with (
        mock.patch("orglens.io.records.checked_people", none_checked),
        mock.patch("orglens.io.records.checked_coordination", none_checked),
    ):
        yield


def _read(folder: Path) -> tuple[list[str], list[tuple[object, ...]]]:
    """The problems of the workspace, and its people and needs as (origin, values, given) when
    it loads."""
    problems = [str(problem) for problem in validate(folder)]
    if problems:
        return problems, []
    org = load(folder)
    # repr tells -0.0 from 0.0, which == does not.
    return problems, [
        (type(record).__name__, record.origin, repr(record.__dict__), record.model_fields_set)
        for record in (*org.people, *org.coordination)
    ]


@settings(max_examples=150, deadline=None)
@given(workspaces())
def test_people_and_needs_read_a_column_at_a_time_equal_those_read_row_by_row(
    files: dict[str, str],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        fast = _read(folder)
        with _row_by_row():
            plain = _read(folder)
    assert fast == plain


def test_a_sound_export_is_read_without_the_row_by_row_reader() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "people.csv").write_text(
            "id,name,manager_id,unit,cost,fte\nceo,Åsa,,Top,100,1\na,Bo,ceo,Sales,50.5,0.5\n",
            encoding="utf-8",
        )
        with mock.patch("orglens.io.records.Cells.required", side_effect=AssertionError):
            org = load(folder)
    assert [(p.id, p.unit, p.cost, p.fte) for p in org.people] == [
        ("ceo", "Top", 100.0, 1.0),
        ("a", "Sales", 50.5, 0.5),
    ]
    assert org.people[1].origin == Origin("people.csv", 3)


def test_records_built_from_checked_columns_equal_validated_ones() -> None:
    built = checked_records(
        Person,
        {"id": ["a", "b"], "unit": ["S", "T"], "cost": [1.0, 2.0], "attributes": [{}, {"k": "v"}]},
    )
    assert built == [
        Person(id="a", unit="S", cost=1.0, attributes={}),
        Person(id="b", unit="T", cost=2.0, attributes={"k": "v"}),
    ]
    assert (
        built[1].model_dump()
        == Person(id="b", unit="T", cost=2, attributes={"k": "v"}).model_dump()
    )
    assert built[0].model_copy(update={"unit": "X"}).unit == "X"
    assert built[0].unit == "S"


def test_checked_records_refuse_unknown_or_missing_fields_and_uneven_columns() -> None:
    with pytest.raises(TypeError, match="no field 'salary'"):
        checked_records(Person, {"id": ["a"], "unit": ["S"], "salary": [1]})
    with pytest.raises(TypeError, match="needs a value for 'unit'"):
        checked_records(Person, {"id": ["a"]})
    with pytest.raises(ValueError, match="differ in length"):
        checked_records(CoordinationNeed, {"source": ["a"], "target": [], "weight": [1.0]})


@st.composite
def parent_maps(draw: st.DrawFn) -> list[tuple[str, str | None]]:
    """People in file order, each with a manager among them (or none): cycles likely."""
    count = draw(st.integers(1, 9))
    ids = [f"n{i}" for i in range(count)]
    order = draw(st.permutations(ids))
    return [(pid, draw(st.sampled_from([None, *ids]))) for pid in order]


def _cycles_by_brute_force(managers: dict[str, str | None]) -> list[frozenset[str]]:
    found = set()
    for start in managers:
        node: str | None = managers[start]
        for _ in range(len(managers)):
            if node is None or node == start:
                break
            node = managers[node]
        if node == start:
            cycle, member = {start}, managers[start]
            while member != start:
                assert member is not None
                cycle.add(member)
                member = managers[member]
            found.add(frozenset(cycle))
    return sorted(found, key=sorted)


@settings(max_examples=300, deadline=None)
@given(parent_maps())
def test_every_manager_cycle_is_reported_once_in_reporting_order_at_its_first_row(
    people: list[tuple[str, str | None]],
) -> None:
    managers = dict(people)
    expected = _cycles_by_brute_force(managers)
    records = [
        Person(id=pid, manager_id=mid, unit="U", origin=Origin("people.csv", line))
        for line, (pid, mid) in enumerate(people, start=2)
    ]
    try:
        Organization(people=records, units=[Unit(id="U")])
        problems = []
    except InvalidWorkspace as error:
        problems = [p for p in error.problems if "manager cycle" in p.what]
    reported = [re.findall(r"'(n\d+)'", problem.what)[:-1] for problem in problems]
    assert sorted((frozenset(chain) for chain in reported), key=sorted) == expected
    line_of = {pid: line for line, (pid, _) in enumerate(people, start=2)}
    for problem, chain in zip(problems, reported, strict=True):
        assert all(managers[a] == b for a, b in zip(chain, [*chain[1:], chain[0]], strict=True))
        assert problem.line == min(line_of[member] for member in chain)


@given(st.text(alphabet='ab\r\n",', max_size=60), st.integers(1, 8))
def test_a_text_is_split_into_the_lines_a_string_io_gives_whatever_the_chunk(
    text: str, chunk: int
) -> None:
    with mock.patch("orglens.io.tables._LINES_CHUNK", chunk):
        assert list(text_lines(text)) == list(io.StringIO(text, newline=""))
