"""Raw tables, cells and unit names: the layer below :func:`orglens.io.load`."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from orglens.errors import Problem
from orglens.io.cells import Cells, parse_number, split_items
from orglens.io.tables import Table, column_key, detect_delimiter, read_csv
from orglens.io.units import UnitIndex, function_of_name, normalize_function
from orglens.io.workbook import cell_text, read_workbook, table_from_sheet
from orglens.model import Person


def read(data: bytes) -> tuple[Table | None, list[str]]:
    problems: list[Problem] = []
    table = read_csv(data, "people.csv", problems)
    return table, [str(problem) for problem in problems]


def lines_and_cells(table: Table | None) -> list[tuple[int, list[str]]]:
    assert table is not None
    return [(row.line, list(row.cells)) for row in table.rows]


# -- delimiters, encodings, lines ------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        ("id,name,unit", ","),
        ("id;name;unit", ";"),
        ("id\tname\tunit", "\t"),
        ('"a,b";c;d', ";"),
        ("id", ","),
    ],
)
def test_delimiter_is_the_one_used_most_outside_quotes_in_the_header(
    header: str, delimiter: str
) -> None:
    assert detect_delimiter(header) == delimiter


def test_semicolon_file_keeps_commas_inside_cells() -> None:
    table, problems = read(b"id;name;cost\np1;Berg, Anna;612 345,50\n")
    assert problems == []
    assert table is not None and table.delimiter == ";" and table.decimal_comma
    assert lines_and_cells(table) == [(2, ["p1", "Berg, Anna", "612 345,50"])]


def test_tab_delimited_file_is_detected() -> None:
    table, _ = read(b"id\tname\np1\tAnna Berg\n")
    assert table is not None and table.delimiter == "\t"
    assert lines_and_cells(table) == [(2, ["p1", "Anna Berg"])]


def test_excel_sep_line_sets_the_delimiter_and_counts_as_line_one() -> None:
    table, _ = read(b"sep=;\nid;name\np1;A,B\n")
    assert table is not None and table.delimiter == ";" and table.header_line == 2
    assert lines_and_cells(table) == [(3, ["p1", "A,B"])]


def test_bom_is_dropped_and_swedish_letters_survive() -> None:
    table, _ = read("\ufeffId;Namn\np1;Åsa Öberg\n".encode())
    assert table is not None
    assert table.header == ("Id", "Namn")
    assert lines_and_cells(table) == [(2, ["p1", "Åsa Öberg"])]


def test_quoted_cells_spanning_lines_keep_the_physical_line_of_every_row() -> None:
    data = b'id,note\r\np1,"first\r\nsecond\r\nthird"\r\n\r\np2,plain\r\np3,"x\ny"\np4,z\n'
    table, problems = read(data)
    assert problems == []
    assert lines_and_cells(table) == [
        (2, ["p1", "first\r\nsecond\r\nthird"]),
        (6, ["p2", "plain"]),
        (7, ["p3", "x\ny"]),
        (9, ["p4", "z"]),
    ]


def test_headers_are_matched_ignoring_case_and_surrounding_spaces() -> None:
    table, _ = read(b"  ID , Manager ID,UNIT \n")
    assert table is not None
    assert table.header == ("ID", "Manager ID", "UNIT")
    assert table.columns == {"id": 0, "manager_id": 1, "unit": 2}
    assert column_key("\tCost  ") == "cost"


def test_empty_file_is_a_problem() -> None:
    assert read(b"")[1] == [
        "people.csv: the file is empty — add a header line with the column names and one row "
        "per record, or remove the file"
    ]
    assert read(b"\n  \r\n")[0] is None


def test_binary_file_is_a_problem() -> None:
    table, problems = read(b"PK\x03\x04\x00\x00binary")
    assert table is None
    assert problems == [
        "people.csv: the file is binary, not text (it contains NUL bytes) — export the table as "
        "CSV UTF-8 text (a whole workbook can be loaded as one .xlsx)"
    ]


def test_utf16_file_is_read_like_excel_unicode_text() -> None:
    table, problems = read("id\tname\np1\tÅsa\n".encode("utf-16"))
    assert problems == []
    assert lines_and_cells(table) == [(2, ["p1", "Åsa"])]


def test_latin1_file_is_read_with_a_warning_on_the_line_of_the_first_bad_byte() -> None:
    table, problems = read("id,name\np1,Bo\np2,Åsa\n".encode("latin-1"))
    assert problems == []
    assert lines_and_cells(table) == [(2, ["p1", "Bo"]), (3, ["p2", "Åsa"])]
    assert table is not None
    assert table.warnings[0].startswith(
        "people.csv:3: the file is not UTF-8 (byte 0xc5), so it was read as Windows-1252 — "
    )


def test_row_with_more_cells_than_the_header_is_a_problem() -> None:
    table, problems = read(b"id,name\np1,Berg, Anna\np2,Bo,\np3\n")
    assert problems == [
        "people.csv:2: the row has 3 cells but the header has 2 columns — put cells that contain "
        "',' in double quotes"
    ]
    assert lines_and_cells(table) == [(3, ["p2", "Bo"]), (4, ["p3", ""])]


def test_column_named_twice_is_a_problem() -> None:
    _, problems = read(b"id,Name,name\n")
    assert problems == [
        "people.csv:1: column 'name' appears twice in the header — rename or remove one of them"
    ]


def test_unclosed_quote_is_a_problem_on_the_line_it_opens() -> None:
    table, problems = read(b'id,name\np1,Bo\np2,"Anna\np3,Cy\n')
    assert table is None
    assert problems == [
        "people.csv:3: a quoted cell starting on this line is never closed — close the quote "
        '(a " inside a quoted cell is written as "")'
    ]


_NAME = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\x00"),
    min_size=1,
    max_size=30,
).filter(lambda name: name == name.strip())


@given(
    names=st.lists(_NAME, min_size=1, max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
    quote_all=st.booleans(),
)
def test_any_name_written_through_csv_reads_back_exactly(
    names: list[str], delimiter: str, quote_all: bool
) -> None:
    buffer = io.StringIO(newline="")
    # A minimal-quoting writer quotes only the line breaks of its own line terminator.
    quoting, line_end = (csv.QUOTE_ALL, "\n") if quote_all else (csv.QUOTE_MINIMAL, "\r\n")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end, quoting=quoting)
    writer.writerow(["id", "name", "unit"])
    writer.writerows([f"p{i}", name, "Sales"] for i, name in enumerate(names))
    table, problems = read(buffer.getvalue().encode("utf-8-sig"))
    assert problems == []
    assert table is not None and table.delimiter == delimiter
    assert [row.cells[1] for row in table.rows] == names


# -- workbook sheets ---------------------------------------------------------------------------


def test_workbook_sheets_keep_their_row_numbers_and_typed_values_as_text(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = " People "
    sheet["B3"], sheet["C3"], sheet["D3"] = "ID", "Cost", "Start"
    sheet["B5"], sheet["C5"] = 7, 612345.5
    book.save(tmp_path / "book.xlsx")
    problems: list[Problem] = []
    sheets = read_workbook(tmp_path / "book.xlsx", problems)
    assert sheets is not None and list(sheets) == ["people"]
    table = table_from_sheet(sheets["people"], problems)
    assert table is not None and table.source == "book.xlsx[ People ]"
    assert table.header_line == 3 and table.delimiter is None
    assert table.columns == {"id": 1, "cost": 2, "start": 3}
    assert lines_and_cells(table) == [(5, ["", "7", "612345.5", ""])]
    assert problems == []


def test_a_file_that_is_not_a_workbook_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "book.xlsx").write_text("id,name\n")
    problems: list[Problem] = []
    assert read_workbook(tmp_path / "book.xlsx", problems) is None
    assert str(problems[0]).startswith("book.xlsx: the workbook cannot be read (BadZipFile: ")


def test_cell_text_reads_like_a_csv_export() -> None:
    assert [cell_text(v) for v in (None, 3.0, 0.25, False, "x")] == ["", "3", "0.25", "false", "x"]


# -- cells -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "decimal_comma", "number"),
    [
        ("612 345,50", True, 612345.5),
        ("612\u00a0345,50", True, 612345.5),
        ("1.234,5", True, 1234.5),
        ("1234.5", True, 1234.5),
        ("1 234", False, 1234.0),
        ("-3", False, -3.0),
        ("1,5", False, None),
        ("12 kr", True, None),
        ("inf", False, None),
        ("", False, None),
    ],
)
def test_numbers_accept_thousand_spaces_and_a_decimal_comma_only_where_allowed(
    text: str, decimal_comma: bool, number: float | None
) -> None:
    assert parse_number(text, decimal_comma=decimal_comma) == number


def test_lists_split_on_semicolons_and_pipes_without_blanks_or_repeats() -> None:
    assert split_items("SEO; Content|SEO ;;") == ("SEO", "Content")
    assert split_items(" ") == ()


def test_validation_errors_of_a_record_become_problems_at_its_line() -> None:
    table, _ = read(b"id,unit,cost\np1,Sales,-5\n")
    assert table is not None
    problems: list[Problem] = []
    cells = Cells(table, problems, ("id", "unit", "cost"))
    assert cells.build(Person, table.rows[0], id="p1", unit="Sales", cost=-5.0) is None
    assert [(p.file, p.line, p.column) for p in problems] == [("people.csv", 2, "cost")]
    assert problems[0].what.startswith("cost: Input should be greater than or equal to 0")


def test_cells_keep_unknown_columns_as_attributes_under_their_header_text() -> None:
    table, _ = read(b"id, Employee No ,Site\np1,E-17,\n")
    assert table is not None
    cells = Cells(table, [], ("id",))
    assert cells.attributes(table.rows[0]) == {"Employee No": "E-17"}


# -- units -----------------------------------------------------------------------------------


def test_units_are_found_by_id_or_by_name_ignoring_case() -> None:
    index = UnitIndex.declared([("u1", "Sales"), ("u2", "Nordic Sales"), ("u3", "sales")])
    assert index.resolve("u2") == "u2"
    assert index.resolve("NORDIC SALES") == "u2"
    assert index.resolve("Sales") == ("u1", "u3")
    assert index.resolve("Legal", declare_at=None) == "Legal"


def test_derived_units_merge_spellings_that_differ_in_case() -> None:
    from orglens.model import Origin

    index = UnitIndex.derived()
    assert index.resolve("Sales", declare_at=Origin("people.csv", 2)) == "Sales"
    assert index.resolve("SALES", declare_at=Origin("people.csv", 3)) == "Sales"
    assert index.resolve("Legal") == "Legal"
    assert [(u.id, u.function, u.origin) for u in index.derived_units()] == [
        ("Sales", "sales", Origin("people.csv", 2))
    ]


@pytest.mark.parametrize(
    ("name", "function"),
    [
        ("Sales", "sales"),
        ("Inside Sales / SDR", "sales"),
        ("Marketing", "marketing"),
        ("Product Marketing", "marketing"),
        ("Communications", "communications"),
        ("Corporate Comms", "communications"),
        ("Product", "product"),
        ("Customer Success", "customer_success"),
        ("HR", "hr"),
        ("People & Culture", "hr"),
        ("Finance", "finance"),
        ("Management", "management"),
        ("Executive team", "management"),
        ("CEO office", "management"),
        ("Operations", "operations"),
        ("Sales Operations", "sales"),
        ("Legal", None),
        ("Customer care", None),
    ],
)
def test_unit_names_suggest_their_function(name: str, function: str | None) -> None:
    assert function_of_name(name) == function


def test_declared_functions_are_normalized_when_recognised_and_kept_otherwise() -> None:
    assert normalize_function("Customer  success", "CS") == "customer_success"
    assert normalize_function("People", "P&C") == "hr"
    assert normalize_function("Legal & Compliance", "Legal") == "Legal & Compliance"
    assert normalize_function(None, "Brand Marketing") == "marketing"
