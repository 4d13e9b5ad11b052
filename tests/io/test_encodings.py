"""Reading CSV text as exports come: encodings found in a fixed order, and bounded cells."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from orglens.errors import Problem
from orglens.io import load
from orglens.io.cells import Cells
from orglens.io.decoding import Decoded, decode_csv
from orglens.io.tables import MAX_CELL_CHARS, Table, read_csv

SWEDISH = "id;namn;enhet\np1;Åsa Öberg;Försäljning\np2;Bo;Ledning\n"


def decoded(data: bytes) -> tuple[Decoded | None, list[str]]:
    problems: list[Problem] = []
    found = decode_csv(data, "people.csv", problems)
    return found, [str(problem) for problem in problems]


def read(data: bytes) -> tuple[Table | None, list[str]]:
    problems: list[Problem] = []
    table = read_csv(data, "people.csv", problems)
    return table, [str(problem) for problem in problems]


def names(table: Table | None) -> list[str]:
    assert table is not None
    return [row.cells[1] for row in table.rows]


# -- encodings -------------------------------------------------------------------------------


def test_windows_1252_file_is_read_with_a_warning_naming_file_line_byte_and_encoding() -> None:
    table, problems = read(SWEDISH.encode("cp1252"))
    assert problems == []
    assert names(table) == ["Åsa Öberg", "Bo"]
    assert table is not None and len(table.warnings) == 1
    assert table.warnings[0].startswith(
        "people.csv:2: the file is not UTF-8 (byte 0xc5), so it was read as Windows-1252 — "
        "if letters such as å, ä, ö look wrong, save it as UTF-8 text"
    )


def test_bytes_windows_1252_leaves_undefined_are_read_as_latin_1() -> None:
    # 0x81 has no character in Windows-1252; in Latin-1 it is a control character.
    found, problems = decoded(b"id;namn\np1;\xc5sa\x81\n")
    assert problems == []
    assert found is not None and found.encoding == "latin-1"
    assert found.text == "id;namn\np1;Åsa\x81\n"
    assert found.warning is not None and "read as Latin-1 (ISO-8859-1)" in found.warning


def test_text_that_is_valid_utf8_is_read_as_utf8_even_if_windows_1252_could_read_it() -> None:
    # "Å" in UTF-8 is C3 85, which Windows-1252 would read as "Ã…".
    found, problems = decoded("id;namn\np1;Åsa\n".encode())
    assert found == Decoded("id;namn\np1;Åsa\n", "utf-8")
    assert problems == []


def test_utf8_byte_order_mark_is_dropped_without_a_warning() -> None:
    table, problems = read(SWEDISH.encode("utf-8-sig"))
    assert problems == []
    assert table is not None and table.header == ("id", "namn", "enhet")
    assert table.warnings == ()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_excel_unicode_text_with_a_byte_order_mark_is_read_tab_delimited(encoding: str) -> None:
    text = SWEDISH.replace(";", "\t")
    mark = {"utf-16": b"", "utf-16-be": b"\xfe\xff", "utf-32": b""}[encoding]
    table, problems = read(mark + text.encode(encoding))
    assert problems == []
    assert table is not None and table.delimiter == "\t" and table.warnings == ()
    assert names(table) == ["Åsa Öberg", "Bo"]


def test_utf16_cut_in_the_middle_of_a_character_is_a_problem() -> None:
    found, problems = decoded("id\nÅsa\n".encode("utf-16") + b"\x00")
    assert found is None
    assert problems[0].startswith(
        "people.csv:3: the file starts as UTF-16 text, but byte 16 is not UTF-16 — save it as UTF-8"
    )


def test_nul_bytes_without_a_byte_order_mark_are_binary() -> None:
    _, problems = read(b"PK\x03\x04\x00\x00binary")
    assert problems == [
        "people.csv: the file is binary, not text (it contains NUL bytes) — export the table as "
        "CSV UTF-8 text (a whole workbook can be loaded as one .xlsx)"
    ]


def test_a_windows_1252_workspace_loads_with_its_swedish_names(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    folder.mkdir()
    people = "id;name;manager_id;unit\nceo;Åsa Öberg;;Ledning\ns1;Bo;ceo;Försäljning\n"
    (folder / "people.csv").write_bytes(people.encode("cp1252"))
    org = load(folder)
    assert [person.name for person in org.people] == ["Åsa Öberg", "Bo"]
    assert sorted(unit.id for unit in org.units) == ["Försäljning", "Ledning"]


# -- cells and columns over the limits -------------------------------------------------------


def test_a_cell_over_the_limit_is_named_at_its_line_not_blamed_on_a_quote() -> None:
    long_name = "x" * (MAX_CELL_CHARS + 1)
    table, problems = read(f"id,name\np1,Bo\np2,{long_name}\np3,Cy\n".encode())
    assert table is None
    assert problems == [
        "people.csv:3: a cell holds 32,768 characters, more than the 32,767 of a spreadsheet "
        "cell — shorten the cell, or check that the file is the table you meant; the limits are "
        "listed in the README, 'Limits on input files'"
    ]


@pytest.mark.parametrize("quoted", [False, True])
def test_a_cell_over_the_csv_modules_own_limit_is_named_at_its_line(quoted: bool) -> None:
    cell = "y" * (csv.field_size_limit() + 1)
    if quoted:
        cell = f'"{cell}"'
    table, problems = read(f"id,name\np1,Bo\np2,{cell}\np3,Cy\n".encode())
    assert table is None
    assert problems == [
        "people.csv:3: a cell holds over 131,072 characters, more than the 32,767 of a "
        "spreadsheet cell — shorten the cell, or check that the file is the table you meant; "
        "the limits are listed in the README, 'Limits on input files'"
    ]


def test_an_unclosed_quote_before_a_long_rest_of_file_is_still_blamed_on_the_quote() -> None:
    rest = "".join(f"p{number},Name {number}\n" for number in range(20_000))
    table, problems = read(f'id,name\np1,"Bo\n{rest}'.encode())
    assert table is None
    assert problems == [
        "people.csv:2: a quoted cell starting on this line is never closed — close the quote "
        '(a " inside a quoted cell is written as "")'
    ]


def test_a_header_wider_than_a_spreadsheet_is_refused_at_line_one() -> None:
    header = ",".join(f"c{number}" for number in range(16_385))
    table, problems = read(f"{header}\n1\n".encode())
    assert table is None
    assert problems[0].startswith(
        "people.csv:1: the header has 16,385 columns, more than the 16,384 of a spreadsheet — "
    )


def test_short_rows_under_a_wide_header_read_as_empty_cells_without_copies() -> None:
    header = ",".join(["id", "name", *(f"extra{number}" for number in range(5_000))])
    table, problems = read(f"{header}\np1,Bo\np2\n".encode())
    assert problems == []
    assert table is not None
    first, second = table.rows
    assert len(first.cells) == 5_002 and first.cells[1] == "Bo" and first.cells[-1] == ""
    assert list(second.cells[:3]) == ["p2", "", ""]
    with pytest.raises(IndexError):
        first.cells[5_002]


def test_every_row_written_by_the_csv_module_reads_back_with_short_rows_padded() -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([["id", "name", "unit"], ["p1", "Åsa"], ["p2", "Bo", "Sales"]])
    table, problems = read(buffer.getvalue().encode("cp1252"))
    assert problems == []
    assert table is not None
    assert [list(row.cells) for row in table.rows] == [["p1", "Åsa", ""], ["p2", "Bo", "Sales"]]


def test_short_rows_under_a_wide_header_keep_only_the_attributes_they_hold() -> None:
    header = ",".join(["id", "name", *(f"extra{number}" for number in range(5_000))])
    table, _ = read(f"{header}\np1,Bo,,x\np2\n".encode())
    assert table is not None
    problems: list[Problem] = []
    cells = Cells(table, problems, known=["id", "name"])
    assert [cells.attributes(row) for row in table.rows] == [{"extra1": "x"}, {}]
    assert problems == []
