"""An EventLog shares one sorted pass among analyses and gives what each analysis gives alone."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest
from eventlogs import assert_close, generated_log

from orglens.engine import Engine
from orglens.mining import (
    EventLog,
    dfg,
    handover,
    leakage,
    observe,
    roles,
    unit_handoffs,
    working_together,
)

UNITS = {"mia": "Marketing", "max": "Marketing", "sam": "Sales", "sue": "Sales", "cai": "Success"}
# Another organization of the same people: the same log must give other unit handoffs.
TEAMS = {"mia": "Growth", "max": "Growth", "sam": "Growth", "sue": "Accounts", "cai": "Accounts"}


def _everything(events: Any) -> dict[str, Any]:
    return {
        "dfg": dfg(events).to_dict(),
        "handover": handover(events).to_dict(),
        "handover_beta": handover(events, beta=0.4).to_dict(),
        "group_handover": handover(events, resource="group").to_dict(),
        "activity_handover": handover(events, resource="activity").to_dict(),
        "working_together": working_together(events).to_dict(),
        "roles": roles(events).to_dict(),
        "units": unit_handoffs(events, unit=UNITS).to_dict(),
        "teams": unit_handoffs(events, unit=TEAMS).to_dict(),
        "group_units": unit_handoffs(events, unit="group").to_dict(),
        "leakage": leakage(events, unit=UNITS, end_activities=["won", "lost"]).to_dict(),
        "journey": observe(events, unit=TEAMS, end_activities=["won"]).to_dict(),
    }


@pytest.mark.parametrize("missing", [0.0, 0.15], ids=["complete", "events-without-resource"])
def test_one_shared_log_gives_what_each_analysis_gives_alone(
    engine: Engine, missing: float
) -> None:
    table = generated_log(7, cases=120, missing=missing)
    events = engine.read_events(table)
    alone = _everything(events)  # each analysis sorts the log itself
    shared = _everything(EventLog(events))  # one sorted pass for all of them
    assert alone["dfg"]["edges"] and alone["units"]["cross"]["count"] > 0
    assert alone["units"] != alone["teams"]  # the mappings are told apart
    assert_close(alone, shared)


def test_a_log_coding_only_some_columns_gives_the_same_results(engine: Engine) -> None:
    # A workspace codes the activity and the resource only: the group column, asked later,
    # gets a pass of its own and the same answers.
    events = engine.read_events(generated_log(9, cases=100, missing=0.1))
    some = EventLog(events, columns=("activity", "resource"))
    assert_close(_everything(events), _everything(some))
    assert set(some._prepared) == {("activity", "resource"), ("group",)}


def test_dictionary_encoded_text_columns_give_the_same_results(engine: Engine) -> None:
    table = generated_log(8, cases=80, missing=0.1)
    encoded = table.set_column(
        1, "activity", table.column("activity").dictionary_encode()
    ).set_column(3, "resource", table.column("resource").dictionary_encode())
    assert pa.types.is_dictionary(encoded.schema.field("resource").type)
    assert_close(_everything(engine.read_events(table)), _everything(engine.read_events(encoded)))


def test_a_log_names_each_value_once_in_sorted_order(engine: Engine) -> None:
    log = EventLog(engine.read_events(generated_log(9, cases=30, missing=0.2)))
    names = log.names("resource")
    assert list(names) == sorted(set(names))
    assert None not in names
    assert log.cases() == 30


def test_packs_hold_columns_while_their_product_stays_exact_in_a_double() -> None:
    from orglens.mining._log import _layout

    layout = _layout({"activity": 30, "resource": 2**30, "group": 2**30, "unit": 5})
    packs: dict[int, int] = {}
    for pack, multiplier, base in layout.values():
        assert multiplier == packs.get(pack, 1)  # digits follow each other within a pack
        packs[pack] = multiplier * base
    assert layout["activity"][0] == layout["resource"][0] != layout["group"][0]
    assert all(product < 2**53 for product in packs.values())
