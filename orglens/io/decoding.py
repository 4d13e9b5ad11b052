"""The text of a file's bytes: UTF-8 for ``orglens.yaml``, any common encoding for a CSV table.

The encoding of a CSV file is found by :func:`decode_csv`, in a fixed order: a byte-order mark
(UTF-8, dropped silently; UTF-16 or UTF-32, Excel's "Unicode text"), else UTF-8, else
Windows-1252 (Excel's "CSV" on Windows in Western Europe) when every byte is defined in it, else
Latin-1; the last two with a warning naming the file, the encoding and the first byte that is
not UTF-8. :func:`decode` reads a file that must be UTF-8.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from orglens.errors import Problem

__all__ = ["Decoded", "decode", "decode_csv"]

_UTF8_FIX = "save it as UTF-8 text (in Excel: Save As › 'CSV UTF-8 (Comma delimited)')"
_BOMS = (
    # UTF-32 first: its little-endian mark begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


def decode(data: bytes, source: str, problems: list[Problem]) -> str | None:
    """UTF-8 text of ``data`` without a BOM, or ``None`` (and a problem) if it is not UTF-8.

    For ``orglens.yaml``, which must be UTF-8; CSV tables are read with :func:`decode_csv`.

    Examples
    --------
    >>> decode("\\ufeffÅsa".encode(), "people.csv", [])
    'Åsa'
    >>> problems = []
    >>> decode(b"id\\n\\xe5", "people.csv", problems) is None
    True
    >>> print(problems[0])  # doctest: +ELLIPSIS
    people.csv:2: the file is not UTF-8: byte 0xe5 cannot be read (Windows-1252 or ...
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problems.append(Problem("the file is UTF-16 text, not UTF-8", _UTF8_FIX, source))
        return None
    if b"\x00" in data:
        problems.append(_binary_problem(source))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        what = (
            f"the file is not UTF-8: byte 0x{byte:02x} cannot be read "
            "(Windows-1252 or Latin-1 text?)"
        )
        problems.append(Problem(what, _UTF8_FIX, source, line))
        return None


@dataclass(frozen=True, slots=True)
class Decoded:
    """The text of a file, the encoding it was read in, and a warning when that was a guess."""

    text: str
    encoding: str
    warning: str | None = None


def decode_csv(data: bytes, source: str, problems: list[Problem]) -> Decoded | None:
    """The text of the CSV ``data``, in the encoding found as the module docstring says.

    ``None`` (and a problem) for binary data, or for bytes that break their byte-order mark.

    Examples
    --------
    >>> decode_csv("\\ufeffÅsa".encode(), "people.csv", []).text
    'Åsa'
    >>> decode_csv("id\\tnamn\\n1\\tÅsa\\n".encode("utf-16"), "people.csv", []).encoding
    'utf-16'
    >>> found = decode_csv("id\\nÅsa".encode("cp1252"), "people.csv", [])
    >>> found.text, found.encoding
    ('id\\nÅsa', 'cp1252')
    >>> print(found.warning)  # doctest: +ELLIPSIS
    people.csv:2: the file is not UTF-8 (byte 0xc5), so it was read as Windows-1252 — ...
    """
    for mark, encoding, name in _BOMS:
        if data.startswith(mark):
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError as error:
                what = f"the file starts as {name} text, but byte {error.start} is not {name}"
                problems.append(Problem(what, _UTF8_FIX, source, _line_of_byte(data, error.start)))
                return None
    if b"\x00" in data:
        problems.append(_binary_problem(source))
        return None
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as error:
        first_bad = error.start
    try:
        text, encoding, name = data.decode("cp1252"), "cp1252", "Windows-1252"
    except UnicodeDecodeError:  # a byte Windows-1252 leaves undefined; Latin-1 reads any
        text, encoding, name = data.decode("latin-1"), "latin-1", "Latin-1 (ISO-8859-1)"
    what = f"the file is not UTF-8 (byte 0x{data[first_bad]:02x}), so it was read as {name}"
    fix = f"if letters such as å, ä, ö look wrong, {_UTF8_FIX}"
    warning = str(Problem(what, fix, source, _line_of_byte(data, first_bad)))
    return Decoded(text, encoding, warning)


def _line_of_byte(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def _binary_problem(source: str) -> Problem:
    return Problem(
        "the file is binary, not text (it contains NUL bytes)",
        "export the table as CSV UTF-8 text (a whole workbook can be loaded as one .xlsx)",
        source,
    )
