"""Every text orglens shows a person, in English or Swedish: catalogues and number formats.

The strings live in one catalogue per language, ``orglens/i18n/<lang>/*.toml`` (a file per
domain: ``advice_span.toml`` gives the keys ``advice_span.*``); never in templates or code.
:func:`t` looks a key up in the current language, set for a block with :func:`using` (a context
variable, as gettext's and Django's current language); the number and list formats below follow
it too, so a rule written once speaks both languages::

    with using("sv"):
        t("report.title", company="Acme")       # 'Organisationsanalys: Acme'
        number(1234.5), date(dt.date(2026, 12, 4))   # ('1 234,5'... , '4 dec 2026')

A test fails when a key exists in one language only or the two disagree on its placeholders.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from orglens.errors import Problem, UsageError

__all__ = [
    "LANGUAGES",
    "catalogue",
    "check",
    "date",
    "decimal",
    "duration",
    "integer",
    "language",
    "listed",
    "number",
    "percent",
    "points",
    "t",
    "using",
]

#: The languages orglens speaks; the first is the default.
LANGUAGES = ("en", "sv")

_HERE = Path(__file__).resolve().parent
_current: ContextVar[str] = ContextVar("orglens_language", default=LANGUAGES[0])

#: Per language: thousands separator, decimal mark, percent sign (Swedish puts a space before).
_NUMBERS = {"en": (",", ".", "%"), "sv": ("\u00a0", ",", "\u00a0%")}


def _flatten(table: dict[str, object], prefix: str) -> Iterator[tuple[str, str]]:
    for key, value in table.items():
        name = f"{prefix}.{key}"
        if isinstance(value, dict):
            yield from _flatten(value, name)
        else:
            yield name, str(value)


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every ``key → text`` of ``lang``'s catalogue (the TOML files of ``orglens/i18n/<lang>``,
    each file's keys prefixed with its name)."""
    check(lang)
    found: dict[str, str] = {}
    for path in sorted((_HERE / lang).glob("*.toml")):
        with path.open("rb") as file:
            found.update(_flatten(tomllib.load(file), path.stem))
    return found


def check(lang: str) -> str:
    """``lang`` when orglens speaks it; a :class:`UsageError` naming the languages otherwise."""
    if lang not in LANGUAGES:
        raise UsageError(
            Problem(f"orglens does not speak {lang!r}", f"use one of {', '.join(LANGUAGES)}")
        )
    return lang


def language() -> str:
    """The current language (``"en"`` unless :func:`using` set another)."""
    return _current.get()


@contextmanager
def using(lang: str) -> Iterator[str]:
    """Speak ``lang`` inside the block (texts, numbers, dates, lists)."""
    token = _current.set(check(lang))
    try:
        yield lang
    finally:
        _current.reset(token)


def t(key: str, /, **params: object) -> str:
    """The text of ``key`` in the current language with ``{placeholders}`` filled in.

    >>> t("common.none")
    'none'
    >>> with using("sv"):
    ...     t("common.none")
    'inga'

    Raises
    ------
    KeyError
        When no catalogue holds ``key`` (a programming error, caught by the tests).
    """
    text = catalogue(language())[key]
    return text.format(**params) if params else text


def _grouped(digits: str) -> str:
    thousands = _NUMBERS[language()][0]
    head, tail = digits[: len(digits) % 3 or 3], digits[len(digits) % 3 or 3 :]
    return thousands.join([head, *(tail[i : i + 3] for i in range(0, len(tail), 3))])


def _local(text: str, *, grouped: bool = True) -> str:
    """``text`` (Python's ``-1234.5``) with the current language's separators."""
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, fraction = text.partition(".")
    if grouped and whole.isdigit():
        whole = _grouped(whole)
    mark = _NUMBERS[language()][1]
    minus = "\u2212" if sign and language() == "sv" else sign
    return f"{minus}{whole}{mark + fraction if fraction else ''}"


def integer(value: float) -> str:
    """A whole number with thousands grouped: ``1234567`` → ``'1,234,567'`` (``'1 234 567'``
    in Swedish, with no-break spaces)."""
    return _local(f"{round(value):d}")


def decimal(value: float, places: int = 1) -> str:
    """``value`` to ``places`` decimals, trailing zeros kept: ``1234.5`` → ``'1,234.5'``."""
    return _local(f"{value:.{places}f}")


def number(value: float) -> str:
    """A count or measure in three significant digits: ``3.0`` → ``'3'``, ``1.4534`` →
    ``'1.45'``, ``0.00975`` → ``'0.00975'``, ``125.4`` → ``'125'``; 1000 and above grouped only
    in Swedish (``'1 250'``) so that English texts read as they always have."""
    if float(value).is_integer() or abs(value) >= 100:
        return _local(f"{value:.0f}", grouped=language() != "en")
    return _local(f"{value:.3g}")


def percent(share: float) -> str:
    """``0.3436`` → ``'34%'`` (``'34 %'`` in Swedish)."""
    return f"{_local(f'{share * 100:.0f}')}{_NUMBERS[language()][2]}"


def points(share: float) -> str:
    """A difference of shares in percentage points, to one decimal: ``0.045`` → ``'4.5'``,
    ``0.12`` → ``'12'``."""
    return _local(f"{share * 100:.1f}".removesuffix(".0"))


def duration(seconds: float) -> str:
    """``90`` → ``'1.5 minutes'``, ``5400`` → ``'1.5 hours'``, ``403244`` → ``'4.7 days'``."""
    if seconds < 60:
        amount, unit = seconds, "second"
    elif seconds < 3600:
        amount, unit = seconds / 60, "minute"
    elif seconds < 48 * 3600:
        amount, unit = seconds / 3600, "hour"
    else:
        amount, unit = seconds / 86400, "day"
    text = f"{amount:.1f}".removesuffix(".0")
    form = "one" if text == "1" else "other"
    return t(f"common.{unit}_{form}", n=_local(text))


def listed(words: Iterable[str]) -> str:
    """``['a', 'b', 'c']`` → ``'a, b and c'`` (``'a, b och c'``); nothing → ``'none'``."""
    items = list(words)
    if not items:
        return t("common.none")
    if len(items) == 1:
        return items[0]
    return t("common.listed", head=", ".join(items[:-1]), last=items[-1])


def date(day: dt.date) -> str:
    """``2026-12-04`` → ``'4 Dec 2026'`` (``'4 dec 2026'``)."""
    month = t(f"common.month_{day.month}")
    return f"{day.day} {month} {day.year}"
