"""The errors a user can cause, each saying where it is and how to fix it.

Every message reads ``FILE:LINE: what is wrong — how to fix it``. The command line prints
them without a traceback and exits with status 2.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["InvalidWorkspace", "OrglensError", "Problem", "UsageError"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a user's input.

    Parameters
    ----------
    what
        What is wrong, naming the offending value with ``!r``.
    fix
        How to fix it, as an instruction.
    file
        The file (or ``file[sheet]`` for a workbook) the problem is in, if known.
    line
        The physical line (header = 1), or the sheet row, if known.
    column
        The column name, if the problem is in one cell.

    Examples
    --------
    >>> str(Problem("duplicate id 'p7'", "give every person its own id", "people.csv", 9))
    "people.csv:9: duplicate id 'p7' — give every person its own id"
    """

    what: str
    fix: str
    file: str | None = None
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.what} — {self.fix}"


class OrglensError(Exception):
    """Root of every error orglens raises on purpose."""


class InvalidWorkspace(ValueError, OrglensError):
    """A workspace (or any input file) has one or more problems.

    All problems found are carried at once, so a user can fix them in one pass.
    """

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems: list[Problem] = (
            [problems] if isinstance(problems, Problem) else list(problems)
        )
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(ValueError, OrglensError):
    """A command or API call was given an argument that cannot work (unknown scenario...)."""

    def __init__(self, problem: Problem) -> None:
        self.problems = [problem]
        super().__init__(str(problem))
