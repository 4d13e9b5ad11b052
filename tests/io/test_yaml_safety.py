"""YAML from strangers: no alias expansion, bounded nesting, every refusal at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from orglens.errors import Problem
from orglens.io import validate, yamlsafe
from orglens.io.scenarios import read_scenario_files
from orglens.io.yamlsafe import MAX_YAML_DEPTH, load_yaml

PEOPLE = "id,name,manager_id,unit\nceo,Ada,,Management\ns1,Bo,ceo,Sales\n"

#: The classic "billion laughs": nine aliases of nine aliases..., about 700 bytes.
LAUGHS = (
    "name: Acme\nsettings:\n  a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n"
    + "".join(
        f"  {this}: &{this} [{', '.join([f'*{before}'] * 9)}]\n"
        for before, this in zip("abcdefgh", "bcdefghi", strict=True)
    )
)


def loaded(text: str) -> tuple[object, list[str]]:
    problems: list[Problem] = []
    found = load_yaml(text, "orglens.yaml", problems)
    return (None if found is None else found[0]), [str(problem) for problem in problems]


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_an_ordinary_document_loads_with_its_node_for_line_numbers() -> None:
    problems: list[Problem] = []
    found = load_yaml("name: Acme\nsettings:\n  span_range: [4, 8]\n", "o.yaml", problems)
    assert found is not None and problems == []
    content, node = found
    assert content == {"name": "Acme", "settings": {"span_range": [4, 8]}}
    assert node is not None and node.end_mark.line == 3


def test_an_empty_document_is_no_content_and_no_problem() -> None:
    assert load_yaml("# nothing yet\n", "o.yaml", []) == (None, None)


def test_the_billion_laughs_is_refused_at_its_first_anchor_in_a_few_hundred_bytes() -> None:
    assert len(LAUGHS) < 800
    content, problems = loaded(LAUGHS)
    assert content is None
    assert problems == [
        "orglens.yaml:3: anchor &a is not allowed — write the value out in full: orglens.yaml "
        "and scenario files take no anchors (&name) or aliases (*name)"
    ]


def test_an_alias_without_its_anchor_is_refused_at_its_own_line() -> None:
    _, problems = loaded("name: Acme\ncurrency: *money\n")
    assert problems == [
        "orglens.yaml:2: alias *money is not allowed — write the value out in full: orglens.yaml "
        "and scenario files take no anchors (&name) or aliases (*name)"
    ]


def test_a_merge_key_is_refused_because_it_needs_an_alias() -> None:
    _, problems = loaded("base: &base {x: 1}\nmine:\n  <<: *base\n")
    assert problems[0].startswith("orglens.yaml:1: anchor &base is not allowed — ")


def test_nesting_up_to_the_limit_loads_and_one_level_more_is_refused() -> None:
    content, problems = loaded(nested(MAX_YAML_DEPTH))
    assert problems == []
    assert str(content) == nested(MAX_YAML_DEPTH)
    content, problems = loaded(f"a: 1\nb: {nested(MAX_YAML_DEPTH)}\n")
    assert content is None
    assert problems == [
        "orglens.yaml:2: mappings and lists nest more than 32 levels deep — flatten the "
        "structure: a workspace needs only a few levels"
    ]


def test_very_deep_nesting_is_a_problem_not_a_recursion_error() -> None:
    _, problems = loaded("a:\n  b: " + nested(100_000) + "\n")
    assert problems[0].startswith("orglens.yaml:2: mappings and lists nest more than 32 levels")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "name: Acme\nstarted: 2024-02-30\n",
            "orglens.yaml:2: the value '2024-02-30' cannot be read (day is out of range for "
            "month) — correct the value (a date as YYYY-MM-DD, a number of at most 4300 digits)",
        ),
        (
            "name: Acme\nbig: " + "9" * 5_000 + "\n",
            "orglens.yaml:2: the value '9999999999999999999999999999999999999999…' cannot be "
            "read (Exceeds the limit (4300 digits) for integer string conversion",
        ),
    ],
)
def test_values_python_cannot_build_are_problems_at_their_line(text: str, problem: str) -> None:
    content, problems = loaded(text)
    assert content is None
    assert len(problems) == 1 and problems[0].startswith(problem)


def test_a_python_tag_is_invalid_yaml_not_code() -> None:
    _, problems = loaded("name: !!python/object/apply:os.system ['true']\n")
    assert problems[0].startswith("orglens.yaml:1: invalid YAML: could not determine a constructor")


def test_a_document_longer_than_the_limit_is_refused_before_parsing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(yamlsafe, "MAX_YAML_CHARS", 20)
    _, problems = loaded("name: a rather long company name\n")
    assert problems == [
        "orglens.yaml: the file holds 33 characters, more than the 20 read from a YAML file — "
        "keep settings and scenarios short; put tables in CSV files"
    ]


def test_a_billion_laughs_orglens_yaml_is_one_problem_of_the_workspace(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    folder.mkdir()
    (folder / "people.csv").write_text(PEOPLE)
    (folder / "orglens.yaml").write_text(LAUGHS)
    assert [str(problem) for problem in validate(folder)] == [
        "orglens.yaml:3: anchor &a is not allowed — write the value out in full: orglens.yaml "
        "and scenario files take no anchors (&name) or aliases (*name)"
    ]


def test_aliases_in_a_scenario_file_are_refused_naming_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "merge.yaml").write_text(
        "name: merge\noperations:\n  - merge: &m {units: [a, b], name: R}\n  - merge: *m\n"
    )
    (folder / "deep.yaml").write_text("name: deep\noperations: " + nested(50) + "\n")
    problems: list[Problem] = []
    assert read_scenario_files(folder, problems) == []
    assert [str(problem).split(" — ")[0] for problem in problems] == [
        "scenarios/deep.yaml:2: mappings and lists nest more than 32 levels deep",
        "scenarios/merge.yaml:3: anchor &m is not allowed",
    ]
