"""Workspace settings: ``orglens.yaml`` in a folder, or the ``orglens`` sheet of a workbook.

``orglens.yaml`` may hold ``name``, ``currency``, ``settings`` (the fields of
:class:`~orglens.model.Settings`) and ``events`` (an event-log path, or a mapping with ``path``,
the column names ``case``, ``activity``, ``timestamp``, ``resource``, ``group``, and the
activity lists ``end_activities`` and ``touch``), ``scenarios`` (see
:mod:`orglens.io.scenarios`) and ``columns`` (the headers of each file, see
:mod:`orglens.io.columns`). A workbook's ``orglens`` sheet holds key/value rows for ``name``,
``currency`` and ``columns.TABLE.COLUMN`` (``columns.people.id | Anställningsnr``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TypeVar

import yaml
from pydantic import ValidationError

from orglens.errors import Problem
from orglens.io.cells import detail_text
from orglens.io.columns import ColumnMapping, read_column_mapping
from orglens.io.decoding import decode
from orglens.io.scenarios import read_scenarios, yaml_lines
from orglens.io.workbook import Sheet
from orglens.io.yamlsafe import load_yaml
from orglens.model import EventSource, Scenario, Settings
from orglens.model.advice import AdviceSettings
from orglens.model.decision import DecisionSettings

Section = TypeVar("Section", AdviceSettings, DecisionSettings)

__all__ = ["Config", "read_config", "read_config_sheet"]

CONFIG_KEYS = (
    "name",
    "currency",
    "settings",
    "events",
    "scenarios",
    "advice",
    "decision",
    "columns",
)
EVENT_KEYS = tuple(name for name in EventSource.model_fields)
SHEET_KEYS = ("name", "currency")


@dataclass(frozen=True)
class Config:
    """What a workspace says about itself; ``None`` where it says nothing."""

    name: str | None = None
    currency: str | None = None
    settings: Settings = field(default_factory=Settings)
    events: EventSource | None = None
    scenarios: tuple[Scenario, ...] = ()
    advice: AdviceSettings = field(default_factory=AdviceSettings)
    decision: DecisionSettings = field(default_factory=DecisionSettings)
    columns: ColumnMapping = field(default_factory=ColumnMapping)


def read_config(data: bytes, source: str, problems: list[Problem]) -> Config:
    """The :class:`Config` in the YAML ``data`` of ``source``.

    Examples
    --------
    >>> problems = []
    >>> text = b"name: Acme\\nsettings:\\n  span_range: [4, 8]\\n"
    >>> config = read_config(text, "o.yaml", problems)
    >>> config.name, config.settings.span_range, problems
    ('Acme', (4, 8), [])
    >>> _ = read_config(b"name: Acme\\ncolour: red\\n", "o.yaml", problems)
    >>> print(problems[0])  # doctest: +ELLIPSIS
    o.yaml:2: unknown key 'colour' — use one of: name, currency, settings, events, scenarios, ...
    """
    text = decode(data, source, problems)
    if text is None:
        return Config()
    loaded = load_yaml(text, source, problems)
    if loaded is None:
        return Config()
    content, node = loaded
    if content is None:
        return Config()
    if not isinstance(content, dict):
        problems.append(
            Problem(
                f"the file holds a {type(content).__name__}, not keys with values",
                "write one 'key: value' per line (name, currency, settings)",
                source,
                1,
            )
        )
        return Config()
    lines = _key_lines(node, source, problems)
    config = _config(content, lines, source, problems)
    paths = yaml_lines(node, "")
    columns = read_column_mapping(content.get("columns"), source, paths, problems)
    scenarios = read_scenarios(content.get("scenarios"), source, paths, problems)
    return replace(config, scenarios=tuple(scenarios), columns=columns)


def _key_lines(node: yaml.Node | None, source: str, problems: list[Problem]) -> dict[str, int]:
    """The line of each key, and of each key under ``settings`` as ``settings.KEY``."""
    lines: dict[str, int] = {}
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key in lines:
            problems.append(
                Problem(
                    f"key {key!r} appears twice", "keep only one of them", source, _line(key_node)
                )
            )
        lines[key] = _line(key_node)
        if key == "settings" and isinstance(value_node, yaml.MappingNode):
            for sub_key, _ in value_node.value:
                lines[f"settings.{sub_key.value}"] = _line(sub_key)
    return lines


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _config(
    content: dict[object, object], lines: dict[str, int], source: str, problems: list[Problem]
) -> Config:
    allowed = ", ".join(CONFIG_KEYS)
    for key in content:
        if key not in CONFIG_KEYS:
            problems.append(
                Problem(
                    f"unknown key {key!r}", f"use one of: {allowed}", source, lines.get(str(key))
                )
            )
    name = _text(content, "name", lines, source, problems)
    currency = _text(content, "currency", lines, source, problems)
    settings = _settings(content.get("settings"), lines, source, problems)
    events = _events(content.get("events"), lines.get("events"), source, problems)
    advice = _section(AdviceSettings, "advice", content, lines, source, problems)
    decision = _section(DecisionSettings, "decision", content, lines, source, problems)
    return Config(name, currency, settings, events, advice=advice, decision=decision)


def _section(
    model: type[Section],
    key: str,
    content: dict[object, object],
    lines: dict[str, int],
    source: str,
    problems: list[Problem],
) -> Section:
    """The settings under ``key:`` (``advice:``, ``decision:``); the defaults where none is set."""
    value, line = content.get(key), lines.get(key)
    if value is None:
        return model()
    try:
        return model.model_validate(value)
    except ValidationError as error:
        for detail in error.errors():
            where = ".".join(str(part) for part in detail["loc"])
            name = f"{key}.{where}" if where else key
            if detail["type"] == "extra_forbidden":
                known = ", ".join(model.model_fields)
                what, fix = f"unknown key {name}", f"use one of: {known}"
            else:
                what = detail_text(name, detail)
                fix = "correct the value, or remove it to use the default"
            problems.append(Problem(what, fix, source, line))
        return model()


def _events(
    value: object, line: int | None, source: str, problems: list[Problem]
) -> EventSource | None:
    """The event log a workspace names: a path, or a mapping with ``path`` and column names."""
    if value is None:
        return None
    fields = {"path": value} if isinstance(value, str) else value
    if not isinstance(fields, dict):
        problems.append(
            Problem(
                f"events {value!r} is neither a path nor keys with values",
                f"write 'events: events.csv', or indent {', '.join(EVENT_KEYS)} under events:",
                source,
                line,
            )
        )
        return None
    for key in ("end_activities", "touch"):
        if isinstance(fields.get(key), str):
            fields = {**fields, key: [fields[key]]}
    try:
        return EventSource.model_validate(fields)
    except ValidationError as error:
        for detail in error.errors():
            key = ".".join(str(part) for part in detail["loc"]) or "events"
            if detail["type"] == "extra_forbidden":
                what, fix = f"unknown key events.{key}", f"use one of: {', '.join(EVENT_KEYS)}"
            else:
                what = detail_text(f"events.{key}", detail)
                fix = "give the event-log path and column names as text"
            problems.append(Problem(what, fix, source, line))
        return None


def _text(
    content: dict[object, object],
    key: str,
    lines: dict[str, int],
    source: str,
    problems: list[Problem],
) -> str | None:
    value = content.get(key)
    if value is None:
        return None
    if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value).strip():
        return str(value).strip()
    problems.append(
        Problem(f"{key} {value!r} is not text", f"write the {key} as text", source, lines.get(key))
    )
    return None


def _settings(
    value: object, lines: dict[str, int], source: str, problems: list[Problem]
) -> Settings:
    if value is None:
        return Settings()
    if not isinstance(value, dict):
        problems.append(
            Problem(
                f"settings {value!r} is not a set of keys with values",
                "indent one 'setting: value' per line under settings:",
                source,
                lines.get("settings"),
            )
        )
        return Settings()
    try:
        return Settings.model_validate(value)
    except ValidationError as error:
        problems.extend(_settings_problems(error, lines, source))
        return Settings()


def _settings_problems(error: ValidationError, lines: dict[str, int], source: str) -> list[Problem]:
    problems = []
    for detail in error.errors():
        loc = detail["loc"]
        line = lines.get(f"settings.{loc[0]}", lines.get("settings")) if loc else None
        if detail["type"] == "extra_forbidden":
            known = ", ".join(Settings.model_fields)
            problem = Problem(f"unknown setting {loc[0]!r}", f"use one of: {known}", source, line)
        else:
            where = ".".join(str(part) for part in ("settings", *loc))
            problem = Problem(
                detail_text(where, detail),
                "correct the value, or remove it to use the default",
                source,
                line or lines.get("settings"),
            )
        problems.append(problem)
    return sorted(problems, key=lambda problem: problem.line or 0)


def read_config_sheet(sheet: Sheet, problems: list[Problem]) -> Config:
    """The name, currency and column mapping in the key/value rows of a workbook's ``orglens``
    sheet (``columns.people.id | Anställningsnr``, ``columns.people.cost_period | month``).

    A first row ``key | value`` is taken as a header.
    """
    values: dict[str, str] = {}
    columns: dict[str, dict[str, str]] = {}
    lines: dict[str, int] = {}
    for line, cells in sheet.records:
        key = cells[0].strip().lower() if cells else ""
        value = cells[1] if len(cells) > 1 else ""
        if key == "key" and line == sheet.records[0][0]:
            continue
        parts = key.split(".")
        if parts[0] == "columns" and len(parts) == 3 and value:
            columns.setdefault(parts[1], {})[parts[2]] = value
            lines.setdefault(f"columns.{parts[1]}", line)
            lines[key] = line
        elif key not in SHEET_KEYS:
            problems.append(
                Problem(
                    f"unknown key {cells[0]!r}",
                    f"use one of: {', '.join(SHEET_KEYS)} (key in column A, value in column B)",
                    sheet.source,
                    line,
                )
            )
        elif value:
            values[key] = value
    mapping = read_column_mapping(columns or None, sheet.source, lines, problems)
    return Config(name=values.get("name"), currency=values.get("currency"), columns=mapping)
