"""JSON as the command line prints it: indented for a person, fast for a large result."""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["json_text"]

_encode = json.JSONEncoder(ensure_ascii=False).encode
# JSON escapes the C0 controls itself; these it would write as they are, for a terminal to obey.
_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match[0]):04x}"


def json_text(data: Any) -> str:
    """``data`` as indented JSON whose innermost objects and lists each take one line.

    Python's ``json`` module encodes in pure Python as soon as it is asked to indent: 1 s for
    the 50,000 edges of a million-event handover. Here only the outer levels are indented; each
    leaf (an object or a list holding no object or list, such as one edge) is encoded by the C
    encoder, on a line of its own. The text parses to the same value as ``json.dumps`` gives;
    DEL, the C1 controls and the bidirectional overrides are written as ``\\u`` escapes, as the
    C0 controls are, so that printing it on a terminal shows them instead of obeying them.

    Examples
    --------
    >>> edges = [{"source": "a", "target": "b", "count": 2}]
    >>> print(json_text({"edges": edges, "total": 2}), end="")
    {
      "edges": [
        {"source": "a", "target": "b", "count": 2}
      ],
      "total": 2
    }
    """
    parts: list[str] = []
    _write(data, 0, parts)
    parts.append("\n")
    text = "".join(parts)
    return _UNSAFE.sub(_escaped, text) if _UNSAFE.search(text) else text


def _is_leaf(value: Any) -> bool:
    if isinstance(value, dict):
        inner: Any = value.values()
    elif isinstance(value, list | tuple):
        inner = value
    else:
        return True
    return not any(isinstance(item, dict | list | tuple) for item in inner)


def _write(value: Any, depth: int, parts: list[str]) -> None:
    if _is_leaf(value):
        parts.append(_encode(value))
        return
    inner = "\n" + "  " * (depth + 1)
    if isinstance(value, dict):
        parts.append("{")
        for index, (key, item) in enumerate(value.items()):
            parts.append(("," if index else "") + inner)
            name = key if isinstance(key, str) else json.dumps(key)  # as json.dumps names keys
            parts.append(_encode(name) + ": ")
            _write(item, depth + 1, parts)
        parts.append("\n" + "  " * depth + "}")
    elif all(map(_is_leaf, value)):  # the common case, such as a list of edges
        parts.append("[" + inner + ("," + inner).join(map(_encode, value)))
        parts.append("\n" + "  " * depth + "]")
    else:
        parts.append("[")
        for index, item in enumerate(value):
            parts.append(("," if index else "") + inner)
            _write(item, depth + 1, parts)
        parts.append("\n" + "  " * depth + "]")
