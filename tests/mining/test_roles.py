"""Roles (Burattin et al. 2013), checked by hand and against PM4Py."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pyarrow as pa
import pytest
from eventlogs import generated_log, log, pm4py_call, pm4py_frame, receipt

from orglens.engine import Engine
from orglens.errors import UsageError
from orglens.mining import Roles, roles
from orglens.mining.roles import similarity

# call and mail are ann's alone; offer is bob's twice and ann's once; sign is bob's; audit
# has no resource, so it belongs to no role.
TINY = log(
    ("c1", "call", 0, "ann"),
    ("c1", "call", 1, "ann"),
    ("c1", "call", 2, "ann"),
    ("c1", "mail", 3, "ann"),
    ("c1", "offer", 4, "bob"),
    ("c2", "offer", 0, "bob"),
    ("c2", "offer", 1, "ann"),
    ("c2", "sign", 2, "bob"),
    ("c2", "audit", 3, None),
    ("c2", "audit", 4, None),
)


def _as_sets(found: Roles) -> set[tuple[tuple[str, ...], tuple[tuple[str, int], ...]]]:
    return {(role.activities, tuple(sorted(role.resources.items()))) for role in found.roles}


def test_activities_done_by_the_same_people_form_one_role(engine: Engine) -> None:
    # call~mail: both all ann → 1. offer~sign: shares (bob 2/3, ann 1/3) vs (bob 1) →
    # (2/3) / (1 + 1/3) = 0.5, not above 0.65. call~offer: (1/3) / (1 + 2/3) = 0.2.
    assert roles(engine.read_events(TINY)).to_dict() == {
        "roles": [
            {"activities": ["call", "mail"], "resources": {"ann": 4}},
            {"activities": ["offer"], "resources": {"ann": 1, "bob": 2}},
            {"activities": ["sign"], "resources": {"bob": 1}},
        ]
    }


def test_a_lower_threshold_merges_less_similar_roles(duckdb: Engine) -> None:
    found = roles(duckdb.read_events(TINY), threshold=0.4)
    assert _as_sets(found) == {
        (("call", "mail"), (("ann", 4),)),
        (("offer", "sign"), (("ann", 1), ("bob", 3))),
    }


def test_similarity_is_the_weighted_jaccard_index_of_shares() -> None:
    assert similarity({"ann": 3}, {"ann": 1}) == 1
    assert similarity({"ann": 1, "bob": 2}, {"bob": 1}) == Fraction(1, 2)
    assert similarity({"ann": 1}, {"bob": 1}) == 0
    # ann 1 vs (ann 10/13, bob 3/13): (10/13) / (1 + 3/13) = 5/8 exactly.
    assert similarity({"ann": 1}, {"ann": 10, "bob": 3}) == Fraction(5, 8)


def test_roles_merge_only_strictly_above_the_threshold(duckdb: Engine) -> None:
    table = log(
        ("c1", "review", 0, "ann"),
        *[("c1", "approve", minute, "ann") for minute in range(1, 11)],
        *[("c1", "approve", minute, "bob") for minute in range(11, 14)],
    )
    events = duckdb.read_events(table)  # review~approve = 5/8 = 0.625
    assert len(roles(events, threshold=0.625).roles) == 2
    assert len(roles(events, threshold=0.624).roles) == 1


def test_a_threshold_outside_zero_to_one_is_refused(duckdb: Engine) -> None:
    with pytest.raises(UsageError, match="threshold"):
        roles(duckdb.read_events(TINY), threshold=1.2)


def _pm4py_roles(
    frame: object, **kwargs: object
) -> set[tuple[tuple[str, ...], tuple[tuple[str, int], ...]]]:
    found = pm4py_call("discover_organizational_roles", frame, **kwargs)
    return {
        (tuple(sorted(role.activities)), tuple(sorted(role.originator_importance.items())))
        for role in found
    }


@pytest.mark.parametrize("seed", [21, 22, 23])
def test_roles_equal_pm4py_on_generated_logs(duckdb: Engine, seed: int) -> None:
    table = generated_log(seed, missing=0.1)
    assert _as_sets(roles(duckdb.read_events(table))) == _pm4py_roles(pm4py_frame(table))


@pytest.mark.realdata
@pytest.mark.parametrize("column", ["resource", "group"])
def test_roles_equal_pm4py_on_the_receipt_log(
    duckdb: Engine, receipt_csv: Path, column: str
) -> None:
    table: pa.Table = receipt(receipt_csv)
    ours = roles(duckdb.read_events(table), resource=column)
    assert len(ours.roles) > 1
    assert _as_sets(ours) == _pm4py_roles(pm4py_frame(table), resource_key=f"org:{column}")
