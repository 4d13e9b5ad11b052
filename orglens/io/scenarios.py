"""Scenarios written in YAML: under ``scenarios:`` in ``orglens.yaml``, or in ``scenarios/*.yaml``.

The form (every key but ``name`` and the operations' required keys is optional)::

    scenarios:
      - name: growth_team
        description: SDRs join demand generation
        kind: custom        # status_quo, forum, merge, pods, split, move, teams, custom
        operations:         # applied in order
          - move: {role: SDR, to: demand-gen}
          - move: {people: [P040, P041], to: demand-gen}     # or competence: crm
          - merge: {units: [sales, marketing], name: Revenue, head: P002, id: revenue}
          - split: {unit: sales-nordics, by: location}       # segment, role, a column...
          - pods: {units: [sales, marketing], by: stage, size: [5, 9], name: Pods, head: P003}
          - forum: {units: [sales, marketing], chair: P001, name: Revenue council}
          - teams: {teams: {Sales 1: [P010, P011, P020], Sales 2: [P012, P021]}}

Units and people are named by id (or by a name no other unit or person has). Without ``head``
a merge is headed by the best-placed head; without ``chair`` a forum is chaired by the top
person; without ``size`` pods follow ``settings.team_size``. What each operation does is in
:mod:`orglens.scenarios.apply`.

A file ``scenarios/NAME.yaml`` holds either one scenario (its keys at the top; ``name``
defaults to ``NAME``) or a ``scenarios:`` list as above. Every problem is collected as
``FILE:LINE: what is wrong — how to fix it``; a scenario with a problem is left out. A scenario
may take the name of a built-in design to replace it, but not ``status_quo``: that is today's
organization, the baseline every design is compared with.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import TypeAdapter, ValidationError

from orglens.errors import Problem
from orglens.io.cells import detail_text
from orglens.io.yamlsafe import load_yaml
from orglens.model import OPERATION_MODELS, Operation, Origin, Scenario, ScenarioKind

__all__ = ["BASELINE_NAME", "dump_scenario", "read_scenario_files", "read_scenarios", "yaml_lines"]

SCENARIO_KEYS = ("name", "kind", "description", "operations")
#: The name of the baseline design (``orglens.scenarios.STATUS_QUO``, a layer above this one).
BASELINE_NAME = "status_quo"
_LIST_FIELDS = ("units", "people")
_OPERATION: TypeAdapter[Operation] = TypeAdapter(Operation)
_KINDS = ", ".join(get_args(ScenarioKind))
_ITEM_FIX = "write one '- name: ...' item per scenario, with description and operations under it"


def yaml_lines(node: yaml.Node | None, path: str) -> dict[str, int]:
    """The line of ``node`` and of everything in it, by path: ``scenarios``, ``scenarios[0]``,
    ``scenarios[0].operations[1].merge.head``... With ``path=""`` the keys of a mapping node
    are the first parts (``yaml_lines(root, "")["scenarios"]``).

    Examples
    --------
    >>> node = yaml.compose("- name: a\\n  operations:\\n    - move: {role: SDR, to: x}\\n")
    >>> yaml_lines(node, "scenarios")["scenarios[0].operations[0].move.role"]
    3
    """
    lines: dict[str, int] = {}
    if node is None:
        return lines
    if path:
        lines[path] = int(node.start_mark.line) + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            key_path = f"{path}.{key.value}" if path else str(key.value)
            lines.update(yaml_lines(value, key_path))
            lines[key_path] = int(key.start_mark.line) + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.update(yaml_lines(item, f"{path}[{index}]"))
    return lines


def read_scenarios(
    content: object, source: str, lines: dict[str, int], problems: list[Problem]
) -> list[Scenario]:
    """The scenarios of a ``scenarios:`` list (``content``) read from ``source``.

    ``lines`` maps paths to lines as :func:`yaml_lines` gives them for the whole file
    (``yaml_lines(root, "")``: ``scenarios``, ``scenarios[0]``...); a missing path falls back
    to the nearest one above.

    Examples
    --------
    >>> text = "scenarios:\\n  - name: growth\\n    operations:\\n      - move: {role: SDR}\\n"
    >>> problems = []
    >>> read_scenarios(yaml.safe_load(text)["scenarios"], "orglens.yaml",
    ...                yaml_lines(yaml.compose(text), ""), problems)
    []
    >>> print(problems[0])
    orglens.yaml:4: scenario 'growth', operation 1 (move): to is missing — add to: ...
    """
    if content is None:
        return []
    if not isinstance(content, list):
        problems.append(
            Problem(
                f"scenarios holds a {type(content).__name__}, not a list",
                _ITEM_FIX,
                source,
                _line(lines, "scenarios"),
            )
        )
        return []
    scenarios = []
    for index, item in enumerate(content):
        scenario = _scenario(item, f"scenarios[{index}]", None, source, lines, problems)
        if scenario is not None:
            scenarios.append(scenario)
    return _unique(scenarios, problems)


def read_scenario_files(folder: Path, problems: list[Problem]) -> list[Scenario]:
    """The scenarios of every ``*.yaml`` (``*.yml``) file in ``folder``, files in name order.

    Problems name the file as ``FOLDER/FILE`` (``scenarios/growth.yaml``). A missing folder
    holds no scenario.
    """
    if not folder.is_dir():
        return []
    files = sorted(
        (f for f in folder.iterdir() if f.is_file() and f.suffix.lower() in (".yaml", ".yml")),
        key=lambda f: f.name,
    )
    scenarios = []
    for file in files:
        source = f"{folder.name}/{file.name}"
        loaded = _load_yaml(file, source, problems)
        if loaded is None:
            continue
        content, node = loaded
        if isinstance(content, dict) and "scenarios" in content:
            lines = yaml_lines(node, "")
            for key in content:
                if key != "scenarios":
                    problems.append(
                        Problem(
                            f"unknown key {key!r} beside scenarios",
                            "keep only the scenarios: list in this file",
                            source,
                            lines.get(str(key)),
                        )
                    )
            scenarios += read_scenarios(content["scenarios"], source, lines, problems)
        elif isinstance(content, list):
            scenarios += read_scenarios(content, source, yaml_lines(node, "scenarios"), problems)
        else:
            lines = yaml_lines(node, "scenario")
            found = _scenario(content, "scenario", file.stem, source, lines, problems)
            scenarios += [found] if found is not None else []
    return _unique(scenarios, problems)


def dump_scenario(scenario: Scenario, /) -> dict[str, Any]:
    """``scenario`` in the YAML form above (the inverse of reading it).

    Examples
    --------
    >>> from orglens.model import MovePeople
    >>> dumped = dump_scenario(Scenario(name="g", operations=[MovePeople(role="SDR", to="dg")]))
    >>> dumped["kind"], dumped["operations"]
    ('move', [{'move': {'role': 'SDR', 'to': 'dg'}}])
    """
    operations = []
    for operation in scenario.operations:
        fields = operation.model_dump(exclude={"op"}, exclude_defaults=True)
        operations.append({operation.op: {k: _plain(v) for k, v in fields.items()}})
    return {
        "name": scenario.name,
        "kind": scenario.kind,
        "description": scenario.description,
        "operations": operations,
    }


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return list(value) if isinstance(value, tuple) else value


# -- reading ---------------------------------------------------------------------------------


def _load_yaml(file: Path, source: str, problems: list[Problem]) -> tuple[Any, yaml.Node] | None:
    try:
        data = file.read_bytes()
    except OSError as error:
        problems.append(
            Problem(f"the file cannot be read ({error.strerror})", "check its permissions", source)
        )
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.append(Problem("the file is not UTF-8 text", "save it as UTF-8", source, line))
        return None
    loaded = load_yaml(text, source, problems)
    if loaded is None:
        return None
    content, node = loaded
    if content is None or node is None:
        return None
    return content, node


def _scenario(
    item: object,
    path: str,
    default_name: str | None,
    source: str,
    lines: dict[str, int],
    problems: list[Problem],
) -> Scenario | None:
    line = _line(lines, path)
    if not isinstance(item, dict):
        problems.append(Problem(f"a scenario is a {type(item).__name__}", _ITEM_FIX, source, line))
        return None
    before = len(problems)
    name = item.get("name", default_name)
    if not isinstance(name, str | int) or isinstance(name, bool) or not str(name).strip():
        problems.append(
            Problem(f"scenario name {name!r} is not text", "give the scenario a name", source, line)
        )
        return None
    label = f"scenario {str(name).strip()!r}"
    if str(name).strip() == BASELINE_NAME:
        problems.append(
            Problem(
                f"{label} would replace the baseline (today's organization as the files describe "
                "it), which every design is compared with",
                "give the scenario another name",
                source,
                _line(lines, f"{path}.name"),
            )
        )
        return None
    for key in item:
        if key not in SCENARIO_KEYS:
            problems.append(
                Problem(
                    f"{label}: unknown key {key!r}",
                    f"use one of: {', '.join(SCENARIO_KEYS)}",
                    source,
                    _line(lines, f"{path}.{key}"),
                )
            )
    raw_operations = item.get("operations") or []
    if not isinstance(raw_operations, list):
        raw_operations = [raw_operations]
    operations = []
    for index, raw in enumerate(raw_operations):
        where = f"{path}.operations[{index}]"
        operation = _operation(
            raw, f"{label}, operation {index + 1}", where, source, lines, problems
        )
        operations.append(operation)
    fields = {
        "name": str(name).strip(),
        "kind": item.get("kind"),
        "description": item.get("description") or "",
        "operations": operations,
        "origin": Origin(source, line) if line is not None else None,
    }
    if len(problems) > before:
        return None
    try:
        return Scenario.model_validate(fields)
    except ValidationError as error:
        for detail in error.errors():
            key = str(detail["loc"][0]) if detail["loc"] else "scenario"
            problems.append(
                Problem(
                    f"{label}: {detail_text(key, detail)}",
                    f"correct the value (kind is one of {_KINDS}; description is text)",
                    source,
                    _line(lines, f"{path}.{key}"),
                )
            )
        return None


def _operation(
    raw: object, label: str, path: str, source: str, lines: dict[str, int], problems: list[Problem]
) -> Operation | None:
    line = _line(lines, path)
    known = ", ".join(OPERATION_MODELS)
    if not isinstance(raw, dict) or len(raw) != 1:
        problems.append(
            Problem(
                f"{label}: {raw!r} is not one operation",
                f"write '- OPERATION: {{key: value, ...}}' with OPERATION one of {known}",
                source,
                line,
            )
        )
        return None
    [(kind, fields)] = raw.items()
    model = OPERATION_MODELS.get(str(kind))
    if model is None:
        problems.append(
            Problem(f"{label}: unknown operation {kind!r}", f"use one of: {known}", source, line)
        )
        return None
    label = f"{label} ({kind})"
    path = f"{path}.{kind}"
    if not isinstance(fields, dict):
        problems.append(
            Problem(
                f"{label}: {fields!r} is not keys with values",
                f"write {kind}: {{key: value, ...}}",
                source,
                line,
            )
        )
        return None
    allowed = [name for name in model.model_fields if name not in ("op", "origin")]
    cleaned: dict[str, object] = {}
    for key, value in fields.items():
        if key not in allowed:
            problems.append(
                Problem(
                    f"{label}: unknown key {key!r}",
                    f"use one of: {', '.join(allowed)}",
                    source,
                    _line(lines, f"{path}.{key}"),
                )
            )
        else:
            cleaned[key] = _normalized(str(key), value)
    origin = Origin(source, line) if line is not None else None
    try:
        return _OPERATION.validate_python({**cleaned, "op": kind, "origin": origin})
    except ValidationError as error:
        problems.extend(_operation_problems(error, label, path, source, lines))
        return None


def _normalized(key: str, value: object) -> object:
    """Ids written as numbers become text; one id stands for a list of one."""

    def text(item: object) -> object:
        is_number = isinstance(item, int | float) and not isinstance(item, bool)
        return str(item) if is_number else item

    if key == "size":
        return value
    if isinstance(value, list):
        return [text(item) for item in value]
    if key in _LIST_FIELDS and not isinstance(value, list):
        return [text(value)]
    return text(value)


def _operation_problems(
    error: ValidationError, label: str, path: str, source: str, lines: dict[str, int]
) -> list[Problem]:
    problems = []
    for detail in error.errors():
        loc = detail["loc"][1:]  # after the operation's tag
        key = str(loc[0]) if loc else ""
        line = _line(lines, f"{path}.{key}" if key else path)
        if detail["type"] == "missing":
            what, fix = f"{key} is missing", f"add {key}: ..."
        elif detail["type"] == "value_error":
            what = str(detail["msg"]).removeprefix("Value error, ")
            fix = "correct the operation"
        else:
            what = detail_text(key, detail)
            fix = f"correct {key}"
        problems.append(Problem(f"{label}: {what}", fix, source, line))
    return problems


def _line(lines: dict[str, int], path: str) -> int | None:
    """The line of ``path``, else of the nearest path above it that has one."""
    while path not in lines:
        cut = max(path.rfind("."), path.rfind("["))
        if cut <= 0:
            return None
        path = path[:cut]
    return lines[path]


def _unique(scenarios: list[Scenario], problems: list[Problem]) -> list[Scenario]:
    """The scenarios, each name kept once (the first); a problem for every repeated name."""
    seen: dict[str, Scenario] = {}
    for scenario in scenarios:
        if scenario.name in seen:
            origin = scenario.origin
            problems.append(
                Problem(
                    f"scenario name {scenario.name!r} is used twice",
                    "give every scenario its own name",
                    origin.file if origin else None,
                    origin.line if origin else None,
                )
            )
        else:
            seen[scenario.name] = scenario
    return list(seen.values())
