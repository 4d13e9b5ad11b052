"""Leads and deals in two files, joined on a key, as one event log."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from orglens.errors import InvalidWorkspace, UsageError
from orglens.io.crm_deals import DealColumns
from orglens.io.crm_join import parse_join, read_joined
from orglens.io.crm_public import read_olist
from orglens.io.eventlog import import_report

LEADS = "mql_id,first_contact_date,origin\nm1,2024-01-02,social\nm2,2024-01-03,email\nm3,,email\n"
DEALS = "mql_id,sr_id,won_date,status\nm1,sr7,2024-02-01,Won\nm9,sr8,2024-02-03,closed lost\n"
STAGES = (("first_contact_date", "MQL first contact"), ("won_date", "Deal won"))


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def rows(table: pa.Table, *names: str) -> list[tuple[object, ...]]:
    return [tuple(row[name] for name in names) for row in table.select(list(names)).to_pylist()]


def files(folder: Path) -> tuple[Path, Path]:
    return write(folder, "leads.csv", LEADS), write(folder, "deals.csv", DEALS)


def test_a_lead_and_its_deal_are_one_case_each_event_with_its_own_files_columns(
    tmp_path: Path,
) -> None:
    spec = DealColumns(resource="sr_id", stage_dates=STAGES)
    table = read_joined(*files(tmp_path), spec, join="mql_id")
    assert rows(table, "case_id", "activity", "resource", "origin") == [
        ("m1", "MQL first contact", None, "social"),
        ("m2", "MQL first contact", None, "email"),
        ("m1", "Deal won", "sr7", None),
        ("m9", "Deal won", "sr8", None),
    ]


def test_unmatched_keys_on_either_side_are_counted(tmp_path: Path) -> None:
    spec = DealColumns(stage_dates=STAGES)
    table = read_joined(*files(tmp_path), spec, join="mql_id")
    assert import_report(table).warnings[0] == (
        "joined on 'mql_id': 1 of 2 deals match a lead; 2 leads have no deal; "
        "1 deal has no lead (kept as cases of their own)"
    )
    assert "leads.csv: 1 lead has no date in 'first_contact_date' and so no events" in (
        import_report(table).warnings
    )


def test_the_outcome_column_of_the_deals_file_names_the_deals_last_event(
    tmp_path: Path,
) -> None:
    spec = DealColumns(outcome="status", stage_dates=STAGES)
    table = read_joined(*files(tmp_path), spec, join="mql_id")
    assert rows(table, "case_id", "activity")[2:] == [("m1", "Won"), ("m9", "Lost")]


def test_the_key_may_have_another_name_in_each_file(tmp_path: Path) -> None:
    leads = write(tmp_path, "leads.csv", LEADS.replace("mql_id", "Lead"))
    deals = write(tmp_path, "deals.csv", DEALS)
    table = read_joined(leads, deals, DealColumns(stage_dates=STAGES), join="Lead=mql_id")
    assert import_report(table).cases == 3


def test_without_stage_dates_each_files_date_columns_are_found(tmp_path: Path) -> None:
    table = read_joined(*files(tmp_path), DealColumns(), join="mql_id")
    assert set(table.column("activity").to_pylist()) == {"First contact", "Won"}


def test_a_column_in_neither_file_is_named_with_both_files_columns(tmp_path: Path) -> None:
    spec = DealColumns(resource="rep", stage_dates=STAGES)
    with pytest.raises(InvalidWorkspace) as error:
        read_joined(*files(tmp_path), spec, join="mql_id")
    message = str(error.value)
    assert "column 'rep' (given for --resource) is in neither file" in message
    assert "deals.csv has 'mql_id', 'sr_id'" in message


def test_a_key_missing_from_one_file_is_refused_with_its_columns(tmp_path: Path) -> None:
    with pytest.raises(InvalidWorkspace) as error:
        read_joined(*files(tmp_path), DealColumns(stage_dates=STAGES), join="sr_id")
    assert str(error.value).startswith("leads.csv:1: column 'sr_id' (given for --join)")


def test_a_file_without_any_of_the_stage_dates_is_refused(tmp_path: Path) -> None:
    spec = DealColumns(stage_dates=(("won_date", "Deal won"),))
    with pytest.raises(InvalidWorkspace) as error:
        read_joined(*files(tmp_path), spec, join="mql_id")
    assert str(error.value).startswith("leads.csv:1: none of the stage dates")


@pytest.mark.parametrize("text", ["", "=x", "a="])
def test_a_malformed_join_is_refused(text: str) -> None:
    with pytest.raises(UsageError, match="--join"):
        parse_join(text)


@pytest.mark.realdata
def test_olist_joined_by_the_generic_reader_gives_the_events_of_its_own_reader(
    shared_data: Path,
) -> None:
    folder = shared_data / "crm" / "olist_marketing_funnel"
    spec = DealColumns(resource="sr_id", stage_dates=STAGES)
    generic = read_joined(
        folder / "olist_marketing_qualified_leads_dataset.csv",
        folder / "olist_closed_deals_dataset.csv",
        spec,
        join="mql_id",
    )
    dedicated = read_olist(folder)
    report = import_report(generic)
    assert (report.events, report.cases) == (8_842, 8_000)
    assert (report.events, report.cases) == (
        import_report(dedicated).events,
        import_report(dedicated).cases,
    )
    columns = ["case_id", "activity", "timestamp", "resource"]
    assert generic.select(columns).to_pylist() == dedicated.select(columns).to_pylist()
    assert report.warnings[0].startswith("joined on 'mql_id': 842 of 842 deals match a lead")
