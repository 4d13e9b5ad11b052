"""YAML from a workspace, read without trusting it: no anchors or aliases, bounded nesting.

PyYAML's safe loader still expands aliases (a 700-byte "billion laughs" document becomes
gigabytes of lists), composes nested collections recursively (a few thousand ``[`` end in a
``RecursionError``) and lets ``ValueError`` escape for a date such as ``2024-02-30``. A
workspace never needs anchors, aliases or deep nesting, so :func:`load_yaml` refuses them while
the document is composed, before any Python object is built:

- a document longer than :data:`MAX_YAML_CHARS` characters is refused before it is parsed;
- the first anchor (``&name``) or alias (``*name``) is a problem at its line;
- a mapping or list nested deeper than :data:`MAX_YAML_DEPTH` levels is a problem at its line;
- a value that cannot be built (an impossible date, an integer of thousands of digits) is a
  problem at its line, as is invalid YAML.

Each limit is a module constant a program may change before it reads a workspace.
"""

from __future__ import annotations

from typing import Any, NoReturn

import yaml

from orglens.errors import Problem

__all__ = ["MAX_YAML_CHARS", "MAX_YAML_DEPTH", "load_yaml"]

#: How deeply mappings and lists may nest (a workspace needs about six levels).
MAX_YAML_DEPTH = 32
#: The longest YAML text read, in characters (a workspace's files are a few kilobytes).
MAX_YAML_CHARS = 2_000_000

_SYNTAX_FIX = "correct the syntax: one 'key: value' per line, nested keys indented with spaces"


class _Refused(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class _WorkspaceLoader(yaml.SafeLoader):
    """The safe loader, refusing anchors, aliases and deep nesting while it composes."""

    def __init__(self, text: str, source: str) -> None:
        super().__init__(text)
        self._source = source
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self.check_event()  # parses the next event into current_event, without consuming it
        event = self.current_event
        line = int(event.start_mark.line) + 1
        if isinstance(event, yaml.AliasEvent):
            self._refuse(f"alias *{event.anchor} is not allowed", line)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self._refuse(f"anchor &{anchor} is not allowed", line)
        if not isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise _Refused(
                Problem(
                    f"mappings and lists nest more than {MAX_YAML_DEPTH} levels deep",
                    "flatten the structure: a workspace needs only a few levels",
                    self._source,
                    line,
                )
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        # The constructors of dates and integers raise ValueError for impossible values.
        except (ValueError, OverflowError) as error:
            raise _Refused(
                Problem(
                    f"the value {_shortened(str(node.value))!r} cannot be read ({error})",
                    "correct the value (a date as YYYY-MM-DD, a number of at most 4300 digits)",
                    self._source,
                    int(node.start_mark.line) + 1,
                )
            ) from None

    def _refuse(self, what: str, line: int) -> NoReturn:
        raise _Refused(
            Problem(
                what,
                "write the value out in full: orglens.yaml and scenario files take no "
                "anchors (&name) or aliases (*name)",
                self._source,
                line,
            )
        )


def load_yaml(
    text: str, source: str, problems: list[Problem]
) -> tuple[Any, yaml.Node | None] | None:
    """The content of the YAML ``text`` of ``source`` and its node (for line numbers).

    Returns ``(None, None)`` for an empty document, and ``None`` after adding a problem when the
    text is not YAML or breaks one of the limits of this module.

    Examples
    --------
    >>> content, node = load_yaml("name: Acme\\nsettings: {span_range: [4, 8]}\\n", "o.yaml", [])
    >>> content, node.start_mark.line
    ({'name': 'Acme', 'settings': {'span_range': [4, 8]}}, 0)
    >>> problems = []
    >>> load_yaml("a: &x [1, 2]\\nb: *x\\n", "o.yaml", problems) is None
    True
    >>> print(problems[0])  # doctest: +ELLIPSIS
    o.yaml:1: anchor &x is not allowed — write the value out in full: ...
    >>> load_yaml("[" * 40 + "]" * 40, "deep.yaml", problems) is None
    True
    >>> print(problems[1])  # doctest: +ELLIPSIS
    deep.yaml:1: mappings and lists nest more than 32 levels deep — flatten the structure: ...
    """
    if len(text) > MAX_YAML_CHARS:
        problems.append(
            Problem(
                f"the file holds {len(text):,} characters, more than the {MAX_YAML_CHARS:,} "
                "read from a YAML file",
                "keep settings and scenarios short; put tables in CSV files",
                source,
            )
        )
        return None
    loader = _WorkspaceLoader(text, source)
    try:
        node = loader.get_single_node()
        content = None if node is None else loader.construct_document(node)
    except _Refused as refused:
        problems.append(refused.problem)
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problems.append(
            Problem(
                f"invalid YAML: {getattr(error, 'problem', None) or error}",
                _SYNTAX_FIX,
                source,
                int(mark.line) + 1 if mark is not None else None,
            )
        )
        return None
    finally:
        loader.dispose()
    return content, node


def _shortened(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else f"{text[:limit]}…"
