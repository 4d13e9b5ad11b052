"""What every command does on a terminal: show data text, report mistakes, draw progress bars.

Text from the data (names, ids, cells, and the messages that quote them) is shown literally:
every piece of it reaches rich as a :class:`~rich.text.Text` made by :func:`literal`, never as
a string rich would read as markup (``[bold]``, ``[/]``) or emoji (``:x:``), and its control
characters are shown as escapes (:func:`orglens.privacy.visible`). A user's mistake is printed
as ``FILE:LINE: what is wrong — how to fix it`` lines on stderr with exit status 2 and no
traceback, e-mail addresses masked. Bars are drawn on stderr only when it is a terminal, so
that piped output stays clean.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from orglens.errors import OrglensError
from orglens.privacy import mask_emails, visible

if TYPE_CHECKING:
    from rich.progress import ProgressColumn

__all__ = ["fail", "guarded", "literal", "plain_console", "progress_bar", "steps_bar", "warn"]

T = TypeVar("T")


def literal(value: object, /, style: str = "") -> Text:
    """``value`` as text rich shows exactly: no markup, no emoji, control characters escaped.

    Examples
    --------
    >>> print(literal("[bold red]x[/] :x:\\x1b[2J").plain)
    [bold red]x[/] :x:\\x1b[2J
    """
    return Text(visible(str(value)), style=style)


def plain_console(*, stderr: bool = False, soft_wrap: bool = False) -> Console:
    """A console that reads no markup, emoji or highlighting into what it prints.

    What is printed should still be :func:`literal` texts: a table or panel reads markup in
    the plain strings it is given whatever its console says. ``soft_wrap`` keeps a long line
    one line (for messages, which a user may grep).
    """
    return Console(stderr=stderr, markup=False, emoji=False, highlight=False, soft_wrap=soft_wrap)


def _message(text: str, *, show_emails: bool) -> Text:
    return literal(text if show_emails else mask_emails(text))


def warn(message: str, *, show_emails: bool = False) -> None:
    """Print ``warning: message`` on stderr, shown literally, e-mail addresses masked."""
    err = plain_console(stderr=True, soft_wrap=True)
    err.print(_message(f"warning: {message}", show_emails=show_emails))


def fail(error: OrglensError, *, show_emails: bool = False) -> NoReturn:
    """Print every problem of ``error`` on stderr and leave with exit status 2.

    Each problem is one line, shown literally; e-mail addresses quoted from the data are
    masked unless ``show_emails``.
    """
    err = plain_console(stderr=True, soft_wrap=True)
    for problem in getattr(error, "problems", None) or [error]:
        err.print(_message(str(problem), show_emails=show_emails))
    raise typer.Exit(2)


def guarded(action: Callable[[], T], *, show_emails: bool = False) -> T:
    """``action()``, with a user's mistake reported by :func:`fail`."""
    try:
        return action()
    except OrglensError as error:
        fail(error, show_emails=show_emails)


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A bar of bytes done on stderr when it is a terminal; the callback updates it."""
    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    columns = (
        _description_column(),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(visible(label), total=None)

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
        _description_column(),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(visible(label), total=total)
        started = 0

        def step(name: str) -> None:
            nonlocal started
            bar.update(task, completed=started, description=visible(f"{label}: {name}"))
            started += 1

        yield step


def _description_column() -> ProgressColumn:
    """A bar's label (say, a file name), shown literally."""
    from rich.progress import TextColumn

    return TextColumn("{task.description}", style="progress.description", markup=False)


def _no_step(name: str) -> Any:
    return None
