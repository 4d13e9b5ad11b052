"""The command line's JSON: indented outer levels, one line per leaf, same value as json."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from orglens.jsonout import json_text

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@given(values)
def test_json_text_parses_to_the_value_json_dumps_gives(value: Any) -> None:
    assert json.loads(json_text(value)) == json.loads(json.dumps(value))


def test_keys_that_are_not_text_are_named_as_json_names_them() -> None:
    data = {7: [{"a": 1}], None: [{"b": 2}], True: {"c": [3]}, 2.5: 0}
    assert json.loads(json_text(data)) == json.loads(json.dumps(data))


def test_each_edge_takes_one_line_under_indented_outer_levels() -> None:
    edges = [{"source": "a é", "target": "b", "count": index} for index in range(3)]
    text = json_text({"handover": {"edges": edges, "empty": [], "none": {}}})
    assert text.splitlines() == [
        "{",
        '  "handover": {',
        '    "edges": [',
        '      {"source": "a é", "target": "b", "count": 0},',
        '      {"source": "a é", "target": "b", "count": 1},',
        '      {"source": "a é", "target": "b", "count": 2}',
        "    ],",
        '    "empty": [],',
        '    "none": {}',
        "  }",
        "}",
    ]
