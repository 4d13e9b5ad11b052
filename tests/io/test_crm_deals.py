"""Deal tables (one row per deal, a date column per stage) as events."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest

from orglens.errors import InvalidWorkspace, UsageError
from orglens.io.crm_deals import (
    DealColumns,
    guess_stage_dates,
    outcome_of,
    parse_stage_dates,
    read_deals,
)
from orglens.io.crm_public import read_maven
from orglens.io.eventlog import import_report

DEALS = (
    "Deal ID,Owner,Team,Stage,Engaged,Closed,Amount\n"
    "d1,ann,East,Won,2024-01-02,2024-02-01,100\n"
    "d2,bob,West,Closed lost,2024-01-05,2024-01-20,50\n"
    "d3,ann,East,Engaging,2024-01-07,,\n"
    "d4,bob,West,Prospecting,,,\n"
    "d5,cid,West,Förlorad,,2024-03-01,\n"
)
STAGES = (("Engaged", "Engaging"), ("Closed", "Closed"))
SPEC = DealColumns(
    case="Deal ID", resource="Owner", group="Team", outcome="Stage", stage_dates=STAGES
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def rows(table: pa.Table, *names: str) -> list[tuple[object, ...]]:
    return [tuple(row[name] for name in names) for row in table.select(list(names)).to_pylist()]


def only_problem(error: pytest.ExceptionInfo[InvalidWorkspace]) -> str:
    assert len(error.value.problems) == 1, error.value.problems
    return str(error.value.problems[0])


def test_every_non_empty_stage_date_is_one_event_and_the_outcome_names_the_last(
    tmp_path: Path,
) -> None:
    table = read_deals(write(tmp_path, "deals.csv", DEALS), SPEC)
    assert rows(table, "case_id", "activity", "resource", "group") == [
        ("d1", "Engaging", "ann", "East"),
        ("d1", "Won", "ann", "East"),
        ("d2", "Engaging", "bob", "West"),
        ("d2", "Lost", "bob", "West"),
        ("d3", "Engaging", "ann", "East"),
        ("d5", "Lost", "cid", "West"),
    ]
    assert table.column("timestamp")[1].as_py() == dt.datetime(2024, 2, 1, tzinfo=dt.UTC)
    assert table.column("Amount").to_pylist()[:2] == [100, 100]
    assert table.column("Stage").to_pylist()[0] == "Won"


def test_rows_without_any_stage_date_are_counted_with_their_outcome(tmp_path: Path) -> None:
    table = read_deals(write(tmp_path, "deals.csv", DEALS), SPEC)
    assert (
        "deals.csv: 1 deal has no date in 'Engaged', 'Closed' and so no events "
        "(Stage: 'Prospecting' 1)"
    ) in import_report(table).warnings


def test_an_outcome_neither_won_nor_lost_keeps_the_stage_name_and_is_counted(
    tmp_path: Path,
) -> None:
    table = read_deals(write(tmp_path, "deals.csv", DEALS), SPEC)
    assert (
        "deals.csv: 1 deal has an outcome that is neither won nor lost (Stage: 'Engaging' 1): "
        "their last event keeps its stage name"
    ) in import_report(table).warnings


def test_without_an_outcome_column_every_event_keeps_its_stage_name(tmp_path: Path) -> None:
    spec = DealColumns(case="Deal ID", stage_dates=STAGES)
    table = read_deals(write(tmp_path, "deals.csv", DEALS), spec)
    assert set(table.column("activity").to_pylist()) == {"Engaging", "Closed"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Won", "Won"),
        ("closedwon", "Won"),
        ("Closed Won", "Won"),
        ("vunnen", "Won"),
        ("LOST", "Lost"),
        ("Closed - lost", "Lost"),
        ("förlorad", "Lost"),
        ("Open", None),
        ("", None),
        (None, None),
    ],
)
def test_outcome_values_are_recognised_in_english_and_swedish(
    value: str | None, expected: str | None
) -> None:
    assert outcome_of(value) == expected


def test_stage_dates_are_parsed_in_the_order_given() -> None:
    assert parse_stage_dates("a=First, b , c=Third") == (
        ("a", "First"),
        ("b", "b"),
        ("c", "Third"),
    )


@pytest.mark.parametrize("text", ["a=", "=A", "a=X,a=Y", "a,,b"])
def test_a_malformed_stage_date_option_is_refused(text: str) -> None:
    with pytest.raises(UsageError, match="--stage-dates"):
        parse_stage_dates(text)


def test_an_unparsable_date_names_its_line_and_value(tmp_path: Path) -> None:
    text = DEALS.replace("2024-01-20", "next week")
    with pytest.raises(InvalidWorkspace) as error:
        read_deals(write(tmp_path, "deals.csv", text), SPEC)
    assert only_problem(error).startswith("deals.csv:3: 'Closed' has 'next week'")


def test_a_row_without_an_id_names_its_line(tmp_path: Path) -> None:
    text = DEALS.replace("d3,", ",")
    with pytest.raises(InvalidWorkspace) as error:
        read_deals(write(tmp_path, "deals.csv", text), SPEC)
    assert only_problem(error).startswith("deals.csv:4: the deal has no id (column 'Deal ID'")


def test_a_column_not_in_the_file_is_named_with_the_columns_it_has(tmp_path: Path) -> None:
    spec = DealColumns(case="Deal ID", outcome="Result", stage_dates=STAGES)
    with pytest.raises(InvalidWorkspace) as error:
        read_deals(write(tmp_path, "deals.csv", DEALS), spec)
    message = only_problem(error)
    assert message.startswith("deals.csv:1: column 'Result' (given for --outcome)")
    assert "'Stage'" in message


def test_columns_are_matched_ignoring_case_and_spaces(tmp_path: Path) -> None:
    spec = DealColumns(case="deal_id", resource="OWNER", stage_dates=(("engaged", "Engaging"),))
    table = read_deals(write(tmp_path, "deals.csv", DEALS), spec)
    assert rows(table, "case_id", "resource")[0] == ("d1", "ann")


def test_an_id_on_two_rows_is_one_case_and_said_so(tmp_path: Path) -> None:
    text = DEALS.replace("d2,", "d1,")
    table = read_deals(write(tmp_path, "deals.csv", text), SPEC)
    assert "deals.csv: 1 id in 'Deal ID' is on more than one row: their events are one case" in (
        import_report(table).warnings
    )


def test_without_stage_dates_the_date_columns_are_found_and_said_so(tmp_path: Path) -> None:
    text = "deal_id,owner,engage_date,Close Date\nd1,ann,2024-01-02,2024-01-09\n"
    table = read_deals(write(tmp_path, "deals.csv", text), DealColumns())
    assert rows(table, "case_id", "activity", "resource") == [
        ("d1", "Engage", "ann"),
        ("d1", "Close", "ann"),
    ]
    assert any("stage dates found by name" in note for note in import_report(table).warnings)


def test_date_columns_are_found_by_their_name() -> None:
    columns = ["mql_id", "first_contact_date", "closedate", "Datum", "updated"]
    assert guess_stage_dates(columns, {"mql_id"}) == (
        ("first_contact_date", "First contact"),
        ("closedate", "Close"),
        ("Datum", "Datum"),
    )


def test_a_table_without_any_dated_row_is_refused(tmp_path: Path) -> None:
    text = "id,engaged\nd1,\n"
    spec = DealColumns(case="id", stage_dates=(("engaged", "Engaging"),))
    with pytest.raises(InvalidWorkspace, match="no row has a stage date"):
        read_deals(write(tmp_path, "deals.csv", text), spec)


def test_a_table_without_any_date_column_asks_for_stage_dates(tmp_path: Path) -> None:
    with pytest.raises(InvalidWorkspace) as error:
        read_deals(write(tmp_path, "deals.csv", "id,engaged\nd1,x\n"), DealColumns(case="id"))
    assert only_problem(error).startswith("deals.csv:1: no stage-date column found")
    assert "--stage-dates" in only_problem(error)


def test_a_folder_or_a_missing_file_is_named_as_such(tmp_path: Path) -> None:
    with pytest.raises(InvalidWorkspace, match="is a folder, not a file"):
        read_deals(tmp_path, SPEC)
    with pytest.raises(InvalidWorkspace, match="the file does not exist"):
        read_deals(tmp_path / "deals.csv", SPEC)


@pytest.mark.realdata
def test_maven_read_as_a_deal_table_gives_the_events_of_its_own_reader(
    shared_data: Path,
) -> None:
    folder = shared_data / "crm" / "maven_crm_sales_opportunities"
    spec = DealColumns(
        case="opportunity_id",
        resource="sales_agent",
        outcome="deal_stage",
        stage_dates=(("engage_date", "Engaging"), ("close_date", "Closed")),
    )
    generic = read_deals(folder / "sales_pipeline.csv", spec)
    dedicated = read_maven(folder)
    columns = ["case_id", "activity", "timestamp", "resource"]
    assert generic.num_rows == dedicated.num_rows == 15_011
    assert generic.select(columns).to_pylist() == dedicated.select(columns).to_pylist()
    report = import_report(generic)
    assert report.cases == import_report(dedicated).cases == 8_300
    assert any("500 deals have no date" in note for note in report.warnings)
    assert any("'Engaging' 1,589" in note for note in report.warnings)
