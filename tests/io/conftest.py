"""Fixtures that write small workspaces to a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from orglens.io import validate

WriteWorkspace = Callable[..., Path]


@pytest.fixture
def workspace(tmp_path: Path) -> WriteWorkspace:
    """Write files into ``tmp_path / "acme"``: ``workspace(**{"people.csv": text, ...})``.

    Text is written as UTF-8 exactly as given (no newline translation); bytes as they are.
    """
    folder = tmp_path / "acme"
    folder.mkdir()

    def write(**files: str | bytes) -> Path:
        for name, content in files.items():
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            (folder / name).write_bytes(data)
        return folder

    return write


@pytest.fixture
def problems_in() -> Callable[[Path], list[str]]:
    """The problems :func:`orglens.io.validate` finds, as the lines a user reads."""

    def problems(path: Path) -> list[str]:
        return [str(problem) for problem in validate(path)]

    return problems
