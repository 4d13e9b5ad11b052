"""Workbooks from strangers: zip bombs, giant cells and empty expanses are refused, not read."""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterable
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook

from orglens.errors import Problem
from orglens.io import workbook as xlsx
from orglens.io.tables import MAX_CELL_CHARS
from orglens.io.workbook import read_workbook, table_from_sheet

SHEET_PART = "xl/worksheets/sheet1.xml"
_LIMITS = "the limits are listed in the README, 'Limits on input files'"


def cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(rows: Iterable[str], dimension: str | None = None) -> bytes:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{declared}<sheetData>{''.join(rows)}</sheetData></worksheet>"
    ).encode()


def row(number: int, *cells: str) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


def workbook(path: Path, sheet: bytes | Iterable[bytes]) -> Path:
    """A workbook with one sheet named ``people`` whose XML part is ``sheet`` (or its chunks,
    compressed as they come so that a large part never sits in memory)."""
    book = Workbook()
    assert book.active is not None
    book.active.title = "people"
    template = path.with_suffix(".template.xlsx")
    book.save(template)
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for part in source.infolist():
            if part.filename != SHEET_PART:
                out.writestr(part, source.read(part))
        with out.open(SHEET_PART, "w") as target:
            for chunk in [sheet] if isinstance(sheet, bytes) else sheet:
                target.write(chunk)
    template.unlink()
    return path


def people_sheet(path: Path, *rows: str, dimension: str | None = None) -> Path:
    header = row(1, cell("A1", "id"), cell("B1", "name"))
    return workbook(path, sheet_xml([header, *rows], dimension))


def read(path: Path) -> tuple[list[tuple[int, list[str]]] | None, list[str]]:
    problems: list[Problem] = []
    sheets = read_workbook(path, problems)
    if sheets is None:
        return None, [str(problem) for problem in problems]
    table = table_from_sheet(sheets["people"], problems)
    assert table is not None
    lines = [(found.line, list(found.cells)) for found in table.rows]
    return lines, [str(problem) for problem in problems]


def refuse_to_open(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any attempt to open the workbook with openpyxl fail the test."""

    def opened(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl was asked to open a workbook that should be refused")

    monkeypatch.setattr(openpyxl, "load_workbook", opened)


# -- the zip archive --------------------------------------------------------------------------


def test_a_workbook_inflating_past_the_limit_is_refused_before_openpyxl_opens_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx, "MAX_WORKBOOK_BYTES", 2**20)
    rows = (row(n, cell(f"A{n}", f"p{n}"), cell(f"B{n}", f"Name {n}")) for n in range(2, 30_000))
    path = people_sheet(tmp_path / "book.xlsx", *rows)
    refuse_to_open(monkeypatch)
    lines, problems = read(path)
    assert lines is None
    assert len(problems) == 1
    assert problems[0].startswith("book.xlsx: the workbook inflates to ")
    assert problems[0].endswith(
        " MiB, more than the 1.0 MiB read from a workbook — remove what is not needed (other "
        "sheets, pictures, formatted empty rows) and save it again, or save each sheet as CSV; "
        f"{_LIMITS}"
    )


def test_a_part_inflating_a_thousand_times_is_refused_by_its_ratio(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty_rows = (b"<row/>" * 100_000 for _ in range(20))  # 12 MB of nothing
    path = workbook(tmp_path / "book.xlsx", [b"<worksheet><sheetData>", *empty_rows])
    refuse_to_open(monkeypatch)
    _, problems = read(path)
    assert len(problems) == 1
    assert problems[0].startswith("book.xlsx: its part 'xl/worksheets/sheet1.xml' inflates ")
    assert " times of a real workbook — " in problems[0]


def test_a_part_that_holds_more_than_it_declares_is_read_only_up_to_its_declared_size(
    tmp_path: Path,
) -> None:
    rows = (row(n, cell(f"A{n}", "p"), cell(f"B{n}", "x" * 50)) for n in range(2, 5_000))
    path = people_sheet(tmp_path / "book.xlsx", *rows)
    _declare_size(path, SHEET_PART, 1_000)
    lines, problems = read(path)
    assert lines is None
    assert problems == [
        "book.xlsx: the workbook cannot be read (BadZipFile: Bad CRC-32 for file "
        "'xl/worksheets/sheet1.xml') — save it again from Excel as an .xlsx workbook"
    ]


def test_a_workbook_of_more_parts_than_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = people_sheet(tmp_path / "book.xlsx")
    monkeypatch.setattr(xlsx, "MAX_WORKBOOK_PARTS", 3)
    _, problems = read(path)
    assert problems[0].startswith("book.xlsx: the workbook has 9 parts, more than the 3 of a real")


def test_a_workbook_whose_list_of_parts_is_too_large_is_refused_before_zipfile_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """zipfile makes an object of every entry of the directory before anything counts them:
    a directory larger than the parts allowed need is refused from the archive's end record."""
    path = people_sheet(tmp_path / "book.xlsx")
    with zipfile.ZipFile(path, "a") as archive:
        for number in range(3):
            entry = zipfile.ZipInfo(f"docProps/padding{number}.xml")
            entry.comment = b"x" * 60_000
            archive.writestr(entry, b"")
    monkeypatch.setattr(xlsx, "MAX_WORKBOOK_PARTS", 50)
    monkeypatch.setattr(zipfile.ZipFile, "infolist", None)  # never reached
    _, problems = read(path)
    assert problems[0].startswith(
        "book.xlsx: the workbook's list of parts takes 180,775 bytes, more than the 50 parts"
    ), problems


def test_a_workbook_file_larger_than_the_limit_is_refused_by_its_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = people_sheet(tmp_path / "book.xlsx")
    monkeypatch.setattr(xlsx, "MAX_WORKBOOK_BYTES", 1_000)
    _, problems = read(path)
    size = path.stat().st_size
    assert problems[0].startswith(
        f"book.xlsx: the workbook is {size:,} bytes, more than the 1,000 bytes read from a workbook"
    )


def _declare_size(path: Path, name: str, size: int) -> None:
    """Rewrite the inflated size that part ``name`` of the zip at ``path`` declares, in its
    local header and in the central directory."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        struct.pack_into("<I", data, archive.getinfo(name).header_offset + 22, size)
    central = data.find(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name.encode():
        central = data.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, size)
    path.write_bytes(bytes(data))


# -- sheets -------------------------------------------------------------------------------------


def test_a_cell_longer_than_excel_allows_is_refused_naming_sheet_row_and_cell(
    tmp_path: Path,
) -> None:
    giant = "x" * (MAX_CELL_CHARS + 10)
    path = people_sheet(tmp_path / "book.xlsx", row(2, cell("A2", "p1"), cell("B2", giant)))
    lines, problems = read(path)
    assert lines is None
    assert problems == [
        "book.xlsx[people]:2: cell B2 holds 32,777 characters, more than the 32,767 of a "
        "spreadsheet cell — shorten the cell, or check that the file is the table you meant; "
        f"{_LIMITS}"
    ]


def test_rows_after_the_last_row_allowed_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx, "MAX_ROWS", 10)
    path = people_sheet(tmp_path / "book.xlsx", row(12, cell("A12", "p12")))
    _, problems = read(path)
    assert problems == [
        "book.xlsx[people]: the sheet has rows after row 10, the last one read (Excel's own "
        f"limit) — delete the rows after the data; {_LIMITS}"
    ]


def test_rows_reaching_the_last_column_exhaust_the_cell_budget_quickly(tmp_path: Path) -> None:
    # 400 million empty cells once every row was padded to column XFD.
    far = (row(n, cell(f"A{n}", f"p{n}"), cell(f"XFD{n}", "x")) for n in range(2, 24_416))
    path = people_sheet(tmp_path / "book.xlsx", *far, dimension="A1:XFD24415")
    lines, problems = read(path)
    assert lines is None
    assert problems == [
        "book.xlsx[people]:1222: the sheet holds more than 20,000,000 cells (counting the empty "
        "ones before the last cell of each row) — delete the empty rows and columns after the "
        f"data, or save the sheet as CSV; {_LIMITS}"
    ]


def test_a_huge_declared_dimension_is_not_trusted_and_only_real_cells_are_read(
    tmp_path: Path,
) -> None:
    path = people_sheet(
        tmp_path / "book.xlsx",
        row(2, cell("A2", "p1"), cell("B2", "Åsa")),
        row(900_000, cell("A900000", "p2"), cell("B900000", "Bo")),
        dimension="A1:XFD1048576",
    )
    lines, problems = read(path)
    assert problems == []
    assert lines == [(2, ["p1", "Åsa"]), (900_000, ["p2", "Bo"])]


def test_cells_beyond_a_too_small_declared_dimension_are_still_read(tmp_path: Path) -> None:
    rows = [row(n, cell(f"A{n}", f"p{n}"), cell(f"B{n}", f"N{n}")) for n in range(2, 6)]
    lines, problems = read(people_sheet(tmp_path / "book.xlsx", *rows, dimension="A1:B2"))
    assert problems == []
    assert lines == [(n, [f"p{n}", f"N{n}"]) for n in range(2, 6)]


def test_a_value_right_of_the_header_is_a_problem_at_its_row(tmp_path: Path) -> None:
    path = people_sheet(tmp_path / "book.xlsx", row(2, cell("A2", "p1"), cell("E2", "stray")))
    lines, problems = read(path)
    assert lines == []
    assert problems == [
        "book.xlsx[people]:2: the row has 5 cells but the header has 2 columns — give the extra "
        "column a header, or clear it"
    ]


def test_an_ordinary_workbook_reads_as_before(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "people"
    sheet.append(["id", "name", "cost"])
    sheet.append(["p1", "Åsa", 612345.5])
    sheet.append(["p2", None, 7])
    book.save(tmp_path / "book.xlsx")
    lines, problems = read(tmp_path / "book.xlsx")
    assert problems == []
    assert lines == [(2, ["p1", "Åsa", "612345.5"]), (3, ["p2", "", "7"])]
