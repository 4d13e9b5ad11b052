"""The registry of scenario operations: the model's union and the registry hold the same ones."""

from __future__ import annotations

from typing import Literal, get_args

import pytest
import yaml
from companies import small_company

from orglens.errors import InvalidWorkspace, Problem
from orglens.io.scenarios import read_scenarios, yaml_lines
from orglens.model import OPERATION_MODELS, Operation, ScenarioKind, ScenarioOperation
from orglens.scenarios import OPERATIONS, apply


def _union_members() -> tuple[type[ScenarioOperation], ...]:
    union, _discriminator = get_args(Operation)
    return get_args(union)


def test_every_member_of_the_union_has_a_registry_entry_and_every_entry_is_in_the_union() -> None:
    assert {kind.model for kind in OPERATIONS.values()} == set(_union_members())
    assert len(OPERATIONS) == len(_union_members())


def test_each_registry_key_is_its_models_op_literal() -> None:
    for key, kind in OPERATIONS.items():
        assert kind.key == key
        assert kind.model.model_fields["op"].annotation == Literal[key]
        assert kind.model.model_fields["op"].default == key


def test_the_yaml_keys_derived_from_the_union_are_the_registry_keys_in_the_same_order() -> None:
    assert (
        list(OPERATION_MODELS)
        == list(OPERATIONS)
        == [
            "merge",
            "move",
            "split",
            "pods",
            "forum",
            "teams",
        ]
    )
    assert all(OPERATION_MODELS[key] is kind.model for key, kind in OPERATIONS.items())


def test_every_operation_key_is_a_scenario_kind() -> None:
    assert set(OPERATIONS) <= set(get_args(ScenarioKind))


def test_applying_a_written_scenario_with_an_unknown_unit_points_at_its_line() -> None:
    text = "scenarios:\n  - name: a\n    operations:\n      - move: {role: SDR, to: growth}\n"
    problems: list[Problem] = []
    [scenario] = read_scenarios(
        yaml.safe_load(text)["scenarios"],
        "orglens.yaml",
        yaml_lines(yaml.compose(text), ""),
        problems,
    )
    with pytest.raises(InvalidWorkspace) as caught:
        apply(small_company(), scenario)
    assert str(caught.value.problems[0]).startswith(
        "orglens.yaml:4: scenario 'a', operation 1 (move): unknown unit 'growth' — use a unit id:"
    )
