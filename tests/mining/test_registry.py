"""The registry of mining analyses, and ``mine`` running several on one log."""

from __future__ import annotations

import csv
import dataclasses
import io

import ibis.expr.types as ir
import pytest
from eventlogs import log

import orglens.mining.registry as registry
from orglens.engine import Engine
from orglens.errors import UsageError
from orglens.mining import (
    ANALYSES,
    EventLog,
    MiningOptions,
    analysis_names,
    handover,
    mine,
)

# Two leads: mia (Marketing) hands both to Sales; sam wins L1, L2 stops at sue's call.
TWO_LEADS = (
    ("L1", "MQL", 0, "mia", "Marketing"),
    ("L1", "Call", 60, "sam", "Sales"),
    ("L1", "Won", 120, "sam", "Sales"),
    ("L2", "MQL", 10, "mia", "Marketing"),
    ("L2", "Call", 100, "sue", "Sales"),
)

#: The first CSV row of each analysis on TWO_LEADS (some of its columns), checked by hand.
FIRST_ROWS = {
    "dfg": {"source": "Call", "target": "Won", "count": 1},
    "handover": {"source": "mia", "target": "sam", "count": 1},
    "working-together": {"source": "mia", "target": "sam", "count": 1},
    "roles": {"role": 1, "activities": "Call", "resource": "sam", "count": 1},
    "unit-handoffs": {"source": "Marketing", "target": "Sales", "count": 2},
    "leakage": {"source": "Marketing", "target": "Sales", "count": 1},
    "funnel": {"stage": "MQL", "activities": "MQL", "cases": 2, "conversion": None},
}


@pytest.fixture
def leads(duckdb: Engine) -> ir.Table:
    return duckdb.read_events(log(*TWO_LEADS))


def test_the_registry_lists_the_analyses_in_report_order() -> None:
    assert list(ANALYSES) == [
        "dfg",
        "handover",
        "working-together",
        "roles",
        "unit-handoffs",
        "leakage",
        "funnel",
    ]
    assert all(analysis.name == name for name, analysis in ANALYSES.items())
    assert all(analysis.description for analysis in ANALYSES.values())
    assert set(FIRST_ROWS) == set(ANALYSES)


@pytest.mark.parametrize("name", list(ANALYSES))
def test_every_analysis_runs_on_a_tiny_log_and_gives_csv_rows(name: str, leads: ir.Table) -> None:
    result = ANALYSES[name].run(EventLog(leads), MiningOptions())
    rows = ANALYSES[name].csv_rows(result.to_dict())
    assert rows
    assert {key: rows[0][key] for key in FIRST_ROWS[name]} == FIRST_ROWS[name]


@pytest.mark.parametrize("name", list(ANALYSES))
def test_mine_codes_only_the_columns_an_analysis_reads_in_one_sorted_pass(
    name: str, leads: ir.Table, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[EventLog] = []

    class Recorded(EventLog):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            made.append(self)

    monkeypatch.setattr(registry, "EventLog", Recorded)
    found = mine(leads, name).to_dict()
    (log,) = made
    # Every column the analysis read was coded in the one pass (working together needs no
    # pass at all): no pass of a column of its own was needed.
    assert set(log._prepared) <= {log._shared}
    assert found == ANALYSES[name].run(EventLog(leads), MiningOptions()).to_dict()


def test_roles_rows_are_one_per_role_and_resource(leads: ir.Table) -> None:
    rows = ANALYSES["roles"].csv_rows(mine(leads, "roles").to_dict())
    assert [(row["role"], row["activities"], row["resource"]) for row in rows] == [
        (1, "Call", "sam"),
        (1, "Call", "sue"),
        (2, "MQL", "mia"),
        (3, "Won", "sam"),
    ]


def test_unknown_analyses_are_named_with_the_ones_orglens_knows(leads: ir.Table) -> None:
    with pytest.raises(UsageError) as raised:
        mine(leads, "dfg,nope,zz")
    assert str(raised.value) == (
        "--what: unknown analysis 'nope', 'zz' in --what — use one or more of dfg, handover, "
        "working-together, roles, unit-handoffs, leakage, funnel, comma-separated"
    )


def test_a_what_without_names_says_so() -> None:
    with pytest.raises(UsageError, match=r"--what ' , ' names no analysis orglens knows"):
        analysis_names(" , ")
    with pytest.raises(UsageError, match=r"--what '' names no analysis"):
        analysis_names([])


def test_names_keep_their_order_and_duplicates_are_dropped() -> None:
    assert analysis_names("handover, dfg,handover") == ("handover", "dfg")
    assert analysis_names(["roles", "dfg", "roles"]) == ("roles", "dfg")


def test_mine_runs_them_in_the_order_asked_and_steps_before_each(leads: ir.Table) -> None:
    steps: list[str] = []
    mined = mine(leads, ["leakage", "dfg", "leakage"], step=steps.append)
    assert list(mined.results) == ["leakage", "dfg"]
    assert steps == ["leakage", "dfg"]


def test_one_analysis_prints_its_own_json_and_several_are_keyed_by_name(
    leads: ir.Table,
) -> None:
    alone = mine(leads, "dfg").to_dict()
    assert set(alone) == {"edges", "start_activities", "end_activities"}
    both = mine(leads, "dfg,leakage").to_dict()
    assert list(both) == ["dfg", "leakage"]
    assert both["dfg"] == alone
    assert both["leakage"]["leaked_cases"] == 1


def test_the_options_reach_the_analyses(leads: ir.Table) -> None:
    units = {"mia": "M", "sam": "S", "sue": "S"}
    found = mine(
        leads, "handover,unit-handoffs,leakage", beta=0.5, unit=units, end_activities=["Call"]
    ).to_dict()
    assert found["handover"] == handover(leads, beta=0.5).to_dict()
    assert [(p["source"], p["target"], p["count"]) for p in found["unit-handoffs"]["pairs"]] == [
        ("M", "S", 2),
        ("S", "S", 1),
    ]
    assert found["leakage"]["leaked_cases"] == 0  # L2 ends with Call, declared an end


def test_csv_of_one_analysis_has_its_rows_alone(leads: ir.Table) -> None:
    assert mine(leads, "leakage").csv_text() == (
        "source,target,count,handoff_cases,share\nMarketing,Sales,1,2,0.5\n"
    )


def test_csv_of_several_analyses_starts_with_an_analysis_column(leads: ir.Table) -> None:
    rows = list(csv.DictReader(io.StringIO(mine(leads, "leakage,roles").csv_text())))
    assert [row["analysis"] for row in rows] == ["leakage"] + ["roles"] * 4
    assert rows[0]["share"] == "0.5" and rows[0]["role"] == ""
    assert rows[1]["activities"] == "Call" and rows[1]["share"] == ""


def test_mining_options_are_keyword_only_and_frozen() -> None:
    options = MiningOptions(beta=0.5)
    assert (options.unit, options.end_activities) == ("group", None)
    with pytest.raises(TypeError):
        MiningOptions(0.5)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.beta = 1.0  # type: ignore[misc]
