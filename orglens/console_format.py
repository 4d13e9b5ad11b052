"""The cells of the terminal tables, in the current language of :mod:`orglens.i18n`.

Numbers keep the tables' compact forms (``1 234``, ``146.7 M``, ``74.7%``, ``2.0 d``) with the
language's separators and the units and words of ``orglens/i18n/<lang>/console.toml``: in
Swedish ``1 234``, ``146,7 M``, ``74,7 %``, ``2,0 d`` (a no-break space, a decimal comma).
Every text handed to rich is a :func:`~orglens.terminal.literal` text: names, ids and cells
from the data show exactly as written (``[interim]`` stays, ``[/]`` cannot break a table).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from rich.table import Table
from rich.text import Text

from orglens.i18n import catalogue, language, number, t
from orglens.terminal import literal

__all__ = [
    "MAX_ROWS",
    "duration",
    "grid",
    "label",
    "local",
    "matrix",
    "money",
    "num",
    "pct",
    "table",
]

MAX_ROWS = 15
NOTHING = "–"


#: Per language: the thousands separator, decimal mark and minus sign of the tables (English
#: groups with a space, as the tables always have; Swedish as :mod:`orglens.i18n` writes numbers).
_SEPARATORS = {"en": (" ", ".", "-"), "sv": ("\u00a0", ",", "\u2212")}


@cache
def _separators(lang: str) -> dict[int, str]:
    return str.maketrans(dict(zip(",.-", _SEPARATORS[lang], strict=True)))


def local(text: str) -> str:
    """Python's ``-1,234.5`` with the current language's separators and minus sign.

    >>> local("-1,234.5")
    '-1 234.5'
    >>> from orglens.i18n import using
    >>> with using("sv"):
    ...     local("-1,234.5") == "\\u22121\\xa0234,5"  # a minus sign, a no-break space
    True
    """
    return text.translate(_separators(language()))


@cache
def _numeric(lang: str) -> re.Pattern[str]:
    """A cell holding only a number (with a unit of :func:`money` or :func:`pct`)."""
    group, mark, minus = (re.escape(part) for part in _SEPARATORS[lang])
    amount = f"{minus}?[\\d{group}]+({mark}\\d+)?"
    forms = [amount]
    for key in ("millions", "thousands", "percent"):
        before, _, after = catalogue(lang)[f"console.number.{key}"].partition("{n}")
        forms.append(f"{re.escape(before)}{amount}{re.escape(after)}")
    return re.compile(f"^(?:{'|'.join(forms)})$")


def num(value: Any, digits: int = 2) -> str:
    """A count as ``1 234``, a measure with ``digits`` decimals, a yes/no, ``–`` for nothing."""
    if value is None:
        return NOTHING
    if isinstance(value, bool):
        return t("console.yes") if value else t("console.no")
    if isinstance(value, int):
        return local(f"{value:,}")
    if isinstance(value, float):
        if value.is_integer():
            return local(f"{int(value):,}")
        return local(f"{value:,.{digits}f}")
    return str(value)


def money(value: Any) -> str:
    """Amounts in thousands or millions, so that cost tables stay narrow."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return num(value)
    if abs(value) >= 1e6:
        return t("console.number.millions", n=local(f"{value / 1e6:,.1f}"))
    if abs(value) >= 1e4:
        return t("console.number.thousands", n=local(f"{value / 1e3:,.0f}"))
    return num(float(value), 0)


def pct(value: Any) -> str:
    """A share as a percentage with one decimal: ``0.747`` → ``74.7%``."""
    return NOTHING if value is None else t("console.number.percent", n=local(f"{100 * value:.1f}"))


def duration(seconds: Any) -> str:
    """Seconds in the largest unit that fits: ``172800`` → ``2.0 d``."""
    if not isinstance(seconds, int | float):
        return NOTHING
    for unit, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds >= size:
            return t(f"console.duration.{unit}", n=local(f"{seconds / size:.1f}"))
    return t("console.duration.seconds", n=local(f"{seconds:.0f}"))


def label(kind: str, value: str, default: str | None = None) -> str:
    """The catalogue's words for a known value of ``kind`` (a design, metric, unit function,
    span archetype...), else ``default`` (``value`` itself): what a user named stays as named."""
    key = f"console.{kind}.{value}"
    if key in catalogue(language()):
        return t(key)
    return value if default is None else default


def _cell(value: Any) -> Text:
    """A table cell: a number formatted, any other value shown literally."""
    return value if isinstance(value, Text) else literal(num(value))


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
    """A table of at most ``MAX_ROWS`` rows; columns holding only numbers are right-aligned."""
    all_rows = [[_cell(cell) for cell in row] for row in rows]
    shown = all_rows[:MAX_ROWS]
    numeric = _numeric(language())
    found = Table(title=literal(title), title_justify="left", title_style="bold", expand=False)
    for i, column in enumerate(columns):
        values = [row[i].plain for row in shown if row[i].plain not in ("", NOTHING)]
        right = bool(values) and all(numeric.match(v) for v in values)
        found.add_column(literal(column), justify="right" if right else "left", overflow="fold")
    for row in shown:
        found.add_row(*row)
    if len(all_rows) > MAX_ROWS:
        found.caption = literal(t("console.more", n=number(len(all_rows) - MAX_ROWS)))
    return found


def matrix(title: str, cells: Mapping[str, Mapping[str, float]]) -> Table | None:
    """A ``from \\ to`` table of a unit×unit matrix, or ``None`` when it is empty."""
    if not cells:
        return None
    targets = sorted({target for row in cells.values() for target in row})
    rows = [[src, *(row.get(x) or "" for x in targets)] for src, row in sorted(cells.items())]
    return table(title, [t("console.from_to"), *targets], rows)


def grid(pairs: Iterable[tuple[str, str]]) -> Table:
    """Label and value pairs, the labels dimmed."""
    found = Table.grid(padding=(0, 2))
    found.add_column(style="dim")
    found.add_column()
    for key, value in pairs:
        found.add_row(literal(key), literal(value))
    return found
