"""What every command does on a terminal: report a user's mistake, and draw progress bars.

A user's mistake is printed as ``FILE:LINE: what is wrong — how to fix it`` lines on stderr
with exit status 2 and no traceback. Bars are drawn on stderr only when it is a terminal, so
that piped output stays clean.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

import typer
from rich.console import Console

from orglens.errors import OrglensError

__all__ = ["fail", "guarded", "progress_bar", "steps_bar"]

T = TypeVar("T")


def fail(error: OrglensError) -> NoReturn:
    """Print every problem of ``error`` on stderr and leave with exit status 2."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    for problem in getattr(error, "problems", None) or [error]:
        err.print(str(problem), markup=False)
    raise typer.Exit(2)


def guarded(action: Callable[[], T]) -> T:
    """``action()``, with a user's mistake reported by :func:`fail`."""
    try:
        return action()
    except OrglensError as error:
        fail(error)


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A bar of bytes done on stderr when it is a terminal; the callback updates it."""
    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    columns = (
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        yield update


@contextmanager
def steps_bar(total: int, label: str = "mining") -> Iterator[Callable[[str], None]]:
    """A bar of steps done, on stderr when it is a terminal; ``step(name)`` starts one."""
    console = Console(stderr=True)
    if not console.is_terminal:
        yield _no_step
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    columns = (
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=total)
        started = 0

        def step(name: str) -> None:
            nonlocal started
            bar.update(task, completed=started, description=f"{label}: {name}")
            started += 1

        yield step


def _no_step(name: str) -> Any:
    return None
