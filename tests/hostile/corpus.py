"""Hostile input files, built at test time, that every orglens command must refuse cleanly.

Each :class:`Case` in :data:`CASES` is one hostile input: a ``build`` function that writes it
into an empty folder and returns the path to give the command, the ``command`` to run (its
``{input}`` replaced by that path) and the file name every message must mention.
``test_corpus.py`` runs each command as ``python -m orglens ...`` in a subprocess and asserts
that it exits with status 2, that every line on stderr reads ``FILE[:LINE]: what — fix`` and
names the file, that no traceback is printed, and that the child's peak memory stays under
:data:`MAX_CHILD_RSS_MB`.

To add a case (an ``.xes.gz`` bomb, a Parquet oddity, a path trick), write one builder below and
add one ``Case(...)`` line to :data:`CASES`. Builders must be quick (well under a second) and
stream anything large: nothing big is ever held in memory or committed to the repository.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

__all__ = ["CASES", "MAX_CHILD_RSS_MB", "Case"]

#: The peak resident memory a command may reach on any hostile input, in MB.
MAX_CHILD_RSS_MB = 600

PEOPLE = "id,name,manager_id,unit\nceo,Ada,,Management\ns1,Bo,ceo,Sales\n"
SHEET_PART = "xl/worksheets/sheet1.xml"


@dataclass(frozen=True)
class Case:
    """One hostile input and the command that must refuse it."""

    name: str
    build: Callable[[Path], Path]
    mentions: str
    command: tuple[str, ...] = ("validate", "{input}")

    def arguments(self, built: Path) -> list[str]:
        return [part.replace("{input}", str(built)) for part in self.command]


# -- workspaces of CSV and YAML -----------------------------------------------------------------


def _workspace(folder: Path, **files: str | bytes) -> Path:
    """A folder with a valid people.csv and ``files`` (``scenarios/x.yaml`` makes the folder)."""
    root = folder / "acme"
    (root / "scenarios").mkdir(parents=True)
    files = {"people.csv": PEOPLE, **files}
    for name, content in files.items():
        data = content.encode() if isinstance(content, str) else content
        (root / name).write_bytes(data)
    return root


def _laughs(key: str) -> str:
    """A "billion laughs" under ``key``: nine lists of nine aliases, nine levels deep (700 B)."""
    levels = [f"  a: &a [{', '.join(['lol'] * 9)}]"]
    for before, this in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"  {this}: &{this} [{', '.join([f'*{before}'] * 9)}]")
    return f"{key}:\n" + "\n".join(levels) + "\n"


def yaml_laughs_in_config(folder: Path) -> Path:
    return _workspace(folder, **{"orglens.yaml": "name: Acme\n" + _laughs("settings")})


def yaml_laughs_in_scenario(folder: Path) -> Path:
    scenario = "name: laughs\n" + _laughs("description")
    return _workspace(folder, **{"scenarios/laughs.yaml": scenario})


def yaml_deep_nesting(folder: Path) -> Path:
    return _workspace(folder, **{"orglens.yaml": "name: " + "[" * 50_000 + "]" * 50_000 + "\n"})


def yaml_impossible_date(folder: Path) -> Path:
    return _workspace(folder, **{"orglens.yaml": "name: Acme\ncurrency: 2024-02-30\n"})


def csv_giant_cell(folder: Path) -> Path:
    people = PEOPLE + "s2," + "x" * 200_000 + ",ceo,Sales\n"
    return _workspace(folder, **{"people.csv": people})


def csv_wider_than_excel(folder: Path) -> Path:
    header = "id,name,manager_id,unit," + ",".join(f"c{n}" for n in range(20_000))
    return _workspace(folder, **{"people.csv": header + "\nceo,Ada,,Management\n"})


def csv_short_rows_under_a_wide_header(folder: Path) -> Path:
    """16,000 extra columns and 20,000 rows that fill only the first four: 320 million empty
    cells if short rows were padded (and took minutes when each was looked at)."""
    header = "id,name,manager_id,unit,cost," + ",".join(f"c{n}" for n in range(16_000))
    rows = "".join(f"p{n},N,ceo,Sales\n" for n in range(20_000))
    people = f"{header}\nceo,Ada,,Management\n{rows}late,Lo,ceo,Sales,lots\n"
    return _workspace(folder, **{"people.csv": people})


# -- workbooks ----------------------------------------------------------------------------------


def _cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def _row(number: int, *cells: str) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


_SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
_HEADER = _row(
    1, _cell("A1", "id"), _cell("B1", "name"), _cell("C1", "manager_id"), _cell("D1", "unit")
)


def _sheet(rows: Iterable[str], *, dimension: str = "", doctype: str = "") -> Iterator[bytes]:
    """The XML of a sheet, in chunks of about a megabyte."""
    declaration, start = _SHEET_START.split(b"?>", 1)
    yield declaration + b"?>" + doctype.encode() + start
    if dimension:
        yield f'<dimension ref="{dimension}"/>'.encode()
    yield b"<sheetData>" + _HEADER.encode()
    chunk: list[str] = []
    size = 0
    for text in rows:
        chunk.append(text)
        size += len(text)
        if size > 2**20:
            yield "".join(chunk).encode()
            chunk, size = [], 0
    yield "".join(chunk).encode() + b"</sheetData></worksheet>"


def _workbook(folder: Path, sheet: Iterable[bytes]) -> Path:
    """``book.xlsx`` with one sheet, ``people``, whose XML is compressed as it is generated."""
    template = folder / "template.xlsx"
    book = Workbook()
    assert book.active is not None
    book.active.title = "people"
    book.save(template)
    path = folder / "book.xlsx"
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for part in source.infolist():
            if part.filename != SHEET_PART:
                out.writestr(part, source.read(part))
        with out.open(SHEET_PART, "w") as target:
            for chunk in sheet:
                target.write(chunk)
    template.unlink()
    return path


def _declare_size(path: Path, name: str, size: int) -> Path:
    """Rewrite the inflated size part ``name`` declares, in its local header and in the
    central directory of the zip at ``path``."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        struct.pack_into("<I", data, archive.getinfo(name).header_offset + 22, size)
    central = data.find(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name.encode():
        central = data.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, size)
    path.write_bytes(bytes(data))
    return path


def xlsx_inflating_210_mib(folder: Path) -> Path:
    """A 330 KB workbook whose sheet really inflates to 210 MiB of empty rows."""
    return _workbook(folder, _sheet("<row/>" * 100_000 for _ in range(367)))


def xlsx_declaring_1_5_gib(folder: Path) -> Path:
    """A small workbook whose sheet declares it inflates to 1.5 GiB."""
    path = _workbook(folder, _sheet([_row(2, _cell("A2", "ceo"))]))
    return _declare_size(path, SHEET_PART, 3 * 2**29)


def xlsx_part_larger_than_declared(folder: Path) -> Path:
    """A sheet of 5 MB of real rows that declares 1,000 bytes."""
    rows = (_row(n, _cell(f"A{n}", f"p{n}"), _cell(f"B{n}", "x" * 40)) for n in range(2, 50_000))
    return _declare_size(_workbook(folder, _sheet(rows)), SHEET_PART, 1_000)


def xlsx_giant_cell(folder: Path) -> Path:
    """A name of 40,000 characters (the limit of a cell is 32,767)."""
    return _workbook(folder, _sheet([_row(2, _cell("A2", "ceo"), _cell("B2", "x" * 40_000))]))


def xlsx_empty_expanse(folder: Path) -> Path:
    """400 million empty cells: 24,414 rows reaching the last column, XFD."""
    rows = (_row(n, _cell(f"A{n}", f"p{n}"), _cell(f"XFD{n}", "x")) for n in range(2, 24_416))
    return _workbook(folder, _sheet(rows, dimension="A1:XFD24415"))


def xlsx_row_past_excel(folder: Path) -> Path:
    """A row numbered 50 million, far after Excel's last row."""
    return _workbook(folder, _sheet([_row(50_000_000, _cell("A50000000", "ceo"))]))


def xlsx_entity_expansion(folder: Path) -> Path:
    """A sheet whose XML defines nested entities ("billion laughs" in XML)."""
    entities = '<!ENTITY e0 "lol">' + "".join(
        f'<!ENTITY e{n} "{f"&e{n - 1};" * 10}">' for n in range(1, 10)
    )
    doctype = f"<!DOCTYPE worksheet [{entities}]>"
    return _workbook(folder, _sheet([_row(2, _cell("A2", "&e9;"))], doctype=doctype))


CASES: list[Case] = [
    Case("yaml_laughs_in_config", yaml_laughs_in_config, "orglens.yaml"),
    Case("yaml_laughs_in_scenario", yaml_laughs_in_scenario, "scenarios/laughs.yaml"),
    Case("yaml_deep_nesting", yaml_deep_nesting, "orglens.yaml", ("analyze", "{input}")),
    Case("yaml_impossible_date", yaml_impossible_date, "orglens.yaml"),
    Case("csv_giant_cell", csv_giant_cell, "people.csv:4", ("analyze", "{input}")),
    Case("csv_wider_than_excel", csv_wider_than_excel, "people.csv:1"),
    Case(
        "csv_short_rows_under_a_wide_header", csv_short_rows_under_a_wide_header, "people.csv:20003"
    ),
    Case("xlsx_inflating_210_mib", xlsx_inflating_210_mib, "book.xlsx", ("analyze", "{input}")),
    Case("xlsx_declaring_1_5_gib", xlsx_declaring_1_5_gib, "book.xlsx"),
    Case("xlsx_part_larger_than_declared", xlsx_part_larger_than_declared, "book.xlsx"),
    Case("xlsx_giant_cell", xlsx_giant_cell, "book.xlsx[people]:2", ("analyze", "{input}")),
    Case("xlsx_empty_expanse", xlsx_empty_expanse, "book.xlsx[people]"),
    Case("xlsx_row_past_excel", xlsx_row_past_excel, "book.xlsx[people]"),
    Case("xlsx_entity_expansion", xlsx_entity_expansion, "book.xlsx"),
]
