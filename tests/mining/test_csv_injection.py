"""``mine --format csv`` never hands a spreadsheet a formula, and numbers stay numbers.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` is run as a formula by Excel, LibreOffice
and Google Sheets; OWASP's advice is a ``'`` in front, which the spreadsheet hides. Tab and
carriage return (also on OWASP's list) are shown as the texts ``\\t`` and ``\\r``.
"""

from __future__ import annotations

import csv
import io

import pytest
from eventlogs import log

from orglens.engine import Engine
from orglens.mining import mine


def handover_rows(duckdb: Engine, source: str, target: str) -> list[list[str]]:
    events = duckdb.read_events(log(("c1", "call", 0, source), ("c1", "offer", 60, target)))
    return list(csv.reader(io.StringIO(mine(events, "handover").csv_text())))


@pytest.mark.parametrize(
    ("resource", "cell"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+SUM(1,2)", "'+SUM(1,2)"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "\\t=1+1"),
        ("\r=1+1", "\\r=1+1"),
    ],
)
def test_a_resource_that_starts_like_a_formula_is_written_as_text(
    duckdb: Engine, resource: str, cell: str
) -> None:
    header, row = handover_rows(duckdb, resource, "Bo")
    assert header == ["source", "target", "count", "value"]
    assert row == [cell, "Bo", "1", "1.0"]


@pytest.mark.parametrize("number", ["-5", "-3.25", "+7", "-1e3"])
def test_a_resource_that_is_a_plain_number_stays_a_number(duckdb: Engine, number: str) -> None:
    _, row = handover_rows(duckdb, number, "Bo")
    assert row[0] == number


def test_numbers_of_the_results_are_written_as_numbers(duckdb: Engine) -> None:
    events = duckdb.read_events(log(("c1", "call", 60, "Ann"), ("c1", "offer", 0, "Bo")))
    text = mine(events, "dfg").csv_text()
    assert text.splitlines()[1] == "offer,call,1,3600.0,3600.0"


def test_a_cell_in_the_middle_of_a_text_is_left_alone(duckdb: Engine) -> None:
    _, row = handover_rows(duckdb, "Ann = Bo + Cy", "x@y")
    assert row[:2] == ["Ann = Bo + Cy", "x@y"]
